// The woocommerce.allowed_hosts setting: where this backend may send
// requests (core/transport/host_policy.hpp has the rule). Superuser-only
// (PGC_SUSET): the roles that create connections choose their urls, so they
// must not also choose what those urls may reach. The check hook validates
// a new value; the assign hook hands it to the core, which applies it to
// every request of every path (scans, writes, IMPORT FOREIGN SCHEMA,
// test_connection, the sync functions) and drops connections opened under
// the previous value.
#include <cstdio>
#include <memory>
#include <string>

#include "core/base/woo_error.hpp"
#include "core/transport/host_policy.hpp"
#include "pg/postgres_headers.hpp"

extern "C" {
#include "utils/guc.h"
}

extern "C" void wcfdw_define_allowed_hosts(void);

namespace {

char* allowed_hosts = nullptr;

// C++ only: whether `value` parses, with the reason in `why` when not.
bool policy_parses(const char* value, char* why, std::size_t why_size, char* hint, std::size_t hint_size) noexcept {
    try {
        wcfdw::HostPolicy::parse(value ? value : "");
        return true;
    } catch (const wcfdw::WooError& e) {
        snprintf(why, why_size, "%s", e.what());
        snprintf(hint, hint_size, "%s", e.hint().c_str());
    } catch (...) {
        snprintf(why, why_size, "out of memory while reading woocommerce.allowed_hosts");
        hint[0] = '\0';
    }
    return false;
}

// C++ only: makes `value` the policy in force. On any failure nothing is
// allowed, never everything.
void install_policy(const char* value) noexcept {
    try {
        wcfdw::set_host_policy(std::make_shared<wcfdw::HostPolicy>(wcfdw::HostPolicy::parse(value ? value : "")));
    } catch (...) {
        try {
            wcfdw::set_host_policy(std::make_shared<wcfdw::HostPolicy>(wcfdw::HostPolicy::parse("")));
        } catch (...) {
        }
    }
}

bool check_allowed_hosts(char** newval, void**, GucSource) {
    char why[512];
    char hint[512];
    if (policy_parses(*newval, why, sizeof why, hint, sizeof hint)) return true;
    GUC_check_errcode(ERRCODE_INVALID_PARAMETER_VALUE);
    GUC_check_errmsg("%s", why);
    if (hint[0]) GUC_check_errhint("%s", hint);
    return false;
}

void assign_allowed_hosts(const char* newval, void*) { install_policy(newval); }

}  // namespace

void wcfdw_define_allowed_hosts(void) {
    DefineCustomStringVariable(
        "woocommerce.allowed_hosts",
        "Hosts woocommerce_fdw may send requests to: host names, *.wildcards, addresses and CIDR ranges.",
        "The default * allows every host except link-local and cloud metadata addresses, which only an address "
        "or range entry can allow. Checked on the address each connection is opened to.",
        &allowed_hosts, wcfdw::HostPolicy::kDefault, PGC_SUSET, GUC_LIST_INPUT, check_allowed_hosts,
        assign_allowed_hosts, nullptr);
}
