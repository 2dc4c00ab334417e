"""Shared helpers: errors, dates/timezones, WordPress-like text functions."""
import datetime as _dt
import functools
import re
import unicodedata
import urllib.parse

try:
    import zoneinfo as _zoneinfo
except ImportError:  # pragma: no cover
    _zoneinfo = None

UTC = _dt.timezone.utc


class WPError(Exception):
    """A WordPress/WooCommerce REST error: {code, message, data:{status, ...}}."""

    def __init__(self, code, message, status=400, **extra):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.extra = extra

    def body(self):
        data = {"status": self.status}
        data.update(self.extra)
        return {"code": self.code, "message": self.message, "data": data}


# --------------------------------------------------------------------------
# Time
# --------------------------------------------------------------------------

class _CET(_dt.tzinfo):
    """Fallback Europe/Berlin rule (CET/CEST, EU DST) when zoneinfo is missing."""

    @staticmethod
    def _last_sunday(year, month):
        d = _dt.datetime(year, month + 1, 1) - _dt.timedelta(days=1) if month < 12 else _dt.datetime(year, 12, 31)
        return d - _dt.timedelta(days=(d.weekday() + 1) % 7)

    def _dst_utc_bounds(self, year):
        start = self._last_sunday(year, 3).replace(hour=1)
        end = self._last_sunday(year, 10).replace(hour=1)
        return start, end

    def utcoffset(self, dt):
        return _dt.timedelta(hours=1) + self.dst(dt)

    def dst(self, dt):
        if dt is None:
            return _dt.timedelta(0)
        naive_utc = dt.replace(tzinfo=None) - _dt.timedelta(hours=1)
        start, end = self._dst_utc_bounds(dt.year)
        return _dt.timedelta(hours=1) if start <= naive_utc < end else _dt.timedelta(0)

    def fromutc(self, dt):
        naive = dt.replace(tzinfo=None)
        start, end = self._dst_utc_bounds(naive.year)
        off = _dt.timedelta(hours=2 if start <= naive < end else 1)
        return (naive + off).replace(tzinfo=self)

    def tzname(self, dt):
        return "CEST" if self.dst(dt) else "CET"


def get_timezone(name):
    if not name or name.upper() in ("UTC", "GMT", "Z"):
        return UTC
    if _zoneinfo is not None:
        try:
            return _zoneinfo.ZoneInfo(name)
        except Exception:
            pass
    if name == "Europe/Berlin":
        return _CET()
    m = re.match(r"^(?:UTC)?([+-])(\d{1,2})(?::?(\d{2}))?$", name)
    if m:
        sign = 1 if m.group(1) == "+" else -1
        return _dt.timezone(sign * _dt.timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0)))
    raise ValueError("unknown timezone %r" % name)


def fmt(dt):
    """Format a naive datetime as WooCommerce does (no offset)."""
    return dt.strftime("%Y-%m-%dT%H:%M:%S")


def utc_to_local(ts_utc, tz):
    """naive UTC datetime -> naive site-local datetime."""
    return ts_utc.replace(tzinfo=UTC).astimezone(tz).replace(tzinfo=None)


def local_to_utc(ts_local, tz):
    return ts_local.replace(tzinfo=tz).astimezone(UTC).replace(tzinfo=None)


_REST_DATE_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$", re.I)


def parse_rest_date(value):
    """rest_parse_date(): returns (naive datetime, offset timedelta or None) or None."""
    if not isinstance(value, str):
        return None
    m = _REST_DATE_RE.match(value.strip())
    if not m:
        return None
    try:
        d = _dt.datetime(*[int(m.group(i)) for i in range(1, 7)])
    except ValueError:
        return None
    off = m.group(8)
    if off is None:
        return d, None
    if off.upper() == "Z":
        return d, _dt.timedelta(0)
    sign = 1 if off[0] == "+" else -1
    digits = off[1:].replace(":", "")
    hh = int(digits[:2])
    mm = int(digits[2:4]) if len(digits) > 2 else 0
    return d, sign * _dt.timedelta(hours=hh, minutes=mm)


# --------------------------------------------------------------------------
# Text (WordPress look-alikes)
# --------------------------------------------------------------------------

_ENTITY_OK = re.compile(r"&(?!(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)")


def kses_normalize(text):
    """wp_kses_normalize_entities(): a bare '&' becomes '&amp;' (what wp_filter_post_kses stores)."""
    if not isinstance(text, str) or "&" not in text:
        return text
    return _ENTITY_OK.sub("&amp;", text)


_SPECIAL_CHARS = {"ß": "s", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE",
                  "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D"}

_SLUG_DASH = ("%c2%a0", "%e2%80%91", "%e2%80%93", "%e2%80%94", "%e2%80%80", "%e2%80%81", "%e2%80%82",
              "%e2%80%83", "%e2%80%84", "%e2%80%85", "%e2%80%86", "%e2%80%87", "%e2%80%88",
              "%e2%80%89", "%e2%80%8a", "%e2%80%a8", "%e2%80%a9", "%e2%80%af")
_SLUG_REMOVE = ("%c2%ad", "%c2%a1", "%c2%bf", "%c2%ab", "%c2%bb", "%e2%80%b9", "%e2%80%ba",
                "%e2%80%98", "%e2%80%99", "%e2%80%9c", "%e2%80%9d", "%e2%80%9a", "%e2%80%9b",
                "%e2%80%9e", "%e2%80%9f", "%e2%80%a2", "%c2%a9", "%c2%ae", "%c2%b0", "%e2%80%a6",
                "%e2%84%a2", "%c2%b4", "%cb%8a", "%cc%81", "%cd%81", "%cc%80", "%cc%84", "%cc%8c",
                "%e2%80%8b", "%e2%80%8c", "%e2%80%8d", "%e2%80%8e", "%e2%80%8f", "%e2%80%aa",
                "%e2%80%ab", "%e2%80%ac", "%e2%80%ad", "%e2%80%ae", "%ef%bb%bf", "%ef%bf%bc")


def remove_accents(text):
    out = []
    for ch in text:
        if ord(ch) < 128:
            out.append(ch)
            continue
        if ch in _SPECIAL_CHARS:
            out.append(_SPECIAL_CHARS[ch])
            continue
        decomp = unicodedata.normalize("NFKD", ch)
        base = "".join(c for c in decomp if not unicodedata.combining(c))
        if base and all(ord(c) < 128 for c in base) and unicodedata.category(ch).startswith("L"):
            out.append(base)
        else:
            out.append(ch)
    return "".join(out)


def sanitize_title(title):
    """sanitize_title() + sanitize_title_with_dashes(..., 'save')."""
    t = re.sub(r"<[^>]*>", "", title or "")
    t = remove_accents(t)
    t = re.sub(r"%([a-fA-F0-9][a-fA-F0-9])", r"---\1---", t)
    t = t.replace("%", "")
    t = re.sub(r"---([a-fA-F0-9][a-fA-F0-9])---", r"%\1", t)
    t = t.lower()                 # mb_strtolower() before utf8_uri_encode() (real/05: "Τ" -> %cf%84)
    enc = []
    for ch in t:
        if ord(ch) < 128:
            enc.append(ch)
        else:
            enc.append("".join("%%%02x" % b for b in ch.encode("utf-8")))
    t = "".join(enc).lower()
    for s in _SLUG_DASH:
        t = t.replace(s, "-")
    for s in _SLUG_REMOVE:
        t = t.replace(s, "")
    t = t.replace("%c3%97", "x")
    t = re.sub(r"&.+?;", "", t)
    t = t.replace(".", "-")
    t = re.sub(r"[^%a-z0-9 _-]", "", t)
    t = re.sub(r"\s+", "-", t)
    t = re.sub(r"-+", "-", t)
    return t.strip("-")


def collation_key(text):
    """Approximation of MySQL utf8mb4_unicode_ci ordering (accent/case-insensitive)."""
    t = (text or "").replace("&amp;", "&")
    t = remove_accents(t)
    return unicodedata.normalize("NFKD", t).casefold()


_BLOCKS = (r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|"
           r"area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|"
           r"hgroup|header|footer|nav|figure|figcaption|details|menu|summary)")


_WPA_0 = re.compile(r"<br\s*/?>\s*<br\s*/?>")
_WPA_1 = re.compile(r"(<" + _BLOCKS + r"[\s/>])")
_WPA_2 = re.compile(r"(</" + _BLOCKS + r">)")
_WPA_3 = re.compile(r"<hr\s*?/?>")
_WPA_4 = re.compile(r"\n\n+")
_WPA_5 = re.compile(r"\n\s*\n")
_WPA_6 = re.compile(r"<p>\s*</p>")
_WPA_7 = re.compile(r"<p>([^<]+)</(div|address|form)>")
_WPA_8 = re.compile(r"<p>\s*(</?" + _BLOCKS + r"[^>]*>)\s*</p>")
_WPA_9 = re.compile(r"<p>(<li.+?)</p>")
_WPA_10 = re.compile(r"<p><blockquote([^>]*)>", re.I)
_WPA_11 = re.compile(r"<p>\s*(</?" + _BLOCKS + r"[^>]*>)")
_WPA_12 = re.compile(r"(</?" + _BLOCKS + r"[^>]*>)\s*</p>")
_WPA_13 = re.compile(r"(?<!<br />)\s*\n")
_WPA_14 = re.compile(r"(</?" + _BLOCKS + r"[^>]*>)\s*<br />")
_WPA_15 = re.compile(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)")
_WPA_16 = re.compile(r"\n</p>$")


def wpautop(pee):
    """A compact port of WordPress wpautop() (enough for product descriptions)."""
    if type(pee) is str:
        return _wpautop_cached(pee)
    return _wpautop(pee)


@functools.lru_cache(maxsize=65536)
def _wpautop_cached(pee):
    return _wpautop(pee)


def _wpautop(pee):
    """A compact port of WordPress wpautop() (enough for product descriptions)."""
    if not pee or not pee.strip():
        return ""
    pee = pee + "\n"
    pee = _WPA_0.sub("\n\n", pee)
    pee = _WPA_1.sub("\n\n\\1", pee)
    pee = _WPA_2.sub("\\1\n\n", pee)
    pee = _WPA_3.sub("<hr />\n\n", pee)
    pee = pee.replace("\r\n", "\n").replace("\r", "\n")
    pee = _WPA_4.sub("\n\n", pee)
    parts = [p for p in _WPA_5.split(pee) if p.strip()]
    pee = "".join("<p>" + p.strip("\n") + "</p>\n" for p in parts)
    pee = _WPA_6.sub("", pee)
    pee = _WPA_7.sub(r"<p>\1</p></\2>", pee)
    pee = _WPA_8.sub(r"\1", pee)
    pee = _WPA_9.sub(r"\1", pee)
    pee = _WPA_10.sub(r"<blockquote\1><p>", pee)
    pee = pee.replace("</blockquote></p>", "</p></blockquote>")
    pee = _WPA_11.sub(r"\1", pee)
    pee = _WPA_12.sub(r"\1", pee)
    pee = _WPA_13.sub("<br />\n", pee)
    pee = _WPA_14.sub(r"\1", pee)
    pee = _WPA_15.sub(r"\1", pee)
    pee = _WPA_16.sub("</p>", pee)
    return pee


def wc_format_decimal(value):
    """wc_format_decimal() as used by set_regular_price()/set_sale_price()/weight setters."""
    if value is None:
        return ""
    if isinstance(value, bool):
        value = "1" if value else ""
    if isinstance(value, (int, float)):
        value = repr(value) if isinstance(value, float) else str(value)
    s = str(value).strip()
    s = re.sub(r"<[^>]*>", "", s)
    s = re.sub(r"\.(?![^.]+$)|[^0-9.\-]", "", s)
    return s


def price_decimal(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def rawurlencode(s):
    return urllib.parse.quote(s, safe="-._~")


def to_bool(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return v != 0
    if isinstance(v, str):
        return v.strip().lower() in ("1", "true", "yes", "on")
    return bool(v)
