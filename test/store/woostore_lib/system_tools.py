"""System status tools: the list (real/65), one tool, and running one (PUT).

Source: Version2/class-wc-rest-system-status-tools-v2-controller.php (get_items answered whole
without paging headers, execute_tool answering the tool with success and message). Running a
tool changes nothing in the store; the answer says it ran.
"""
from .common import WPError
from .crud import Resource
from . import schema as sch

MESSAGES = {"clear_transients": "Product transients cleared", "recount_terms": "Terms successfully recounted",
            "clear_template_cache": "Template cache cleared."}


class SystemTools(Resource):
    name = "system_tools"
    totals = False
    sortable = False

    def records(self, req, parent):
        return sch.rehost(sch.load_data("tools.json")["tools"], req.base)

    def find(self, req, parent, tid):
        return next((t for t in self.records(req, None) if t["id"] == tid), None)

    def parse_id(self, v):
        return v

    def invalid_id(self, status):
        return WPError("woocommerce_rest_system_status_tool_invalid_id", "Invalid tool ID.", 404)

    def render(self, req, t, context):
        out = dict(t)
        if "_ran" in t:
            out.pop("_ran")
        out["_links"] = {"item": [{"embeddable": True,
                                   "href": "%s/wp-json/wc/v3/system_status/tools/%s" % (req.base, t["id"])}]}
        return out

    def update(self, req, parent, t, data):
        ran = dict(t, success=True, message=MESSAGES.get(t["id"], ""))
        return ran
