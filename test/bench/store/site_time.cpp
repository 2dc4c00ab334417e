#include "site_time.hpp"

#include <cctype>
#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace benchstore {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& y, int& m, int& d) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    y = static_cast<int>(yoe + era * 400 + (m <= 2));
}

int year_of(Time t) {
    int y, m, d;
    civil_from_days(t >= 0 ? t / 86400 : (t - 86399) / 86400, y, m, d);
    return y;
}

// 01:00 UTC on the last Sunday of the month.
Time last_sunday_1am(int year, int month) {
    const std::int64_t last = days_from_civil(month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, 1) - 1;
    const std::int64_t weekday = ((last % 7) + 7 + 3) % 7;  // 0 = Monday (1970-01-01 was a Thursday)
    return (last - (weekday + 1) % 7) * 86400 + 3600;
}

int digits(const std::string& s, std::size_t pos, std::size_t n) {
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

}  // namespace

Time time_from_civil(int year, int month, int day, int hour, int minute, int second) {
    return days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
}

std::string format_time(Time t) {
    const std::int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    const std::int64_t secs = t - days * 86400;
    int y, m, d;
    civil_from_days(days, y, m, d);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, static_cast<int>(secs / 3600),
                  static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
    return buf;
}

std::optional<Time> parse_rest_time(const std::string& raw, std::optional<int>* offset_seconds) {
    std::size_t b = 0, e = raw.size();
    while (b < e && std::isspace(static_cast<unsigned char>(raw[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(raw[e - 1]))) --e;
    const std::string s = raw.substr(b, e - b);
    if (s.size() < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
        s[13] != ':' || s[16] != ':')
        return std::nullopt;
    const int y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
    const int h = digits(s, 11, 2), mi = digits(s, 14, 2), se = digits(s, 17, 2);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59)
        return std::nullopt;
    std::size_t pos = 19;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        if (pos >= s.size() || !std::isdigit(static_cast<unsigned char>(s[pos]))) return std::nullopt;
        while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
    }
    std::optional<int> offset;
    if (pos < s.size()) {
        if (s[pos] == 'Z' || s[pos] == 'z') {
            offset = 0;
            ++pos;
        } else if (s[pos] == '+' || s[pos] == '-') {
            const int sign = s[pos] == '+' ? 1 : -1;
            const int hh = digits(s, pos + 1, 2);
            if (hh < 0) return std::nullopt;
            pos += 3;
            int mm = 0;
            if (pos < s.size() && s[pos] == ':') ++pos;
            if (pos < s.size()) {
                mm = digits(s, pos, 2);
                if (mm < 0) return std::nullopt;
                pos += 2;
            }
            offset = sign * (hh * 3600 + mm * 60);
        }
        if (pos != s.size()) return std::nullopt;
    }
    if (offset_seconds) *offset_seconds = offset;
    return time_from_civil(y, mo, d, h, mi, se);
}

Time now_utc() { return static_cast<Time>(std::time(nullptr)); }

SiteTimezone::SiteTimezone(const std::string& name) : name_(name) {
    std::string upper;
    for (char c : name) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (name.empty() || upper == "UTC" || upper == "GMT" || upper == "Z") return;
    if (name == "Europe/Berlin") {
        berlin_ = true;
        return;
    }
    std::string rest = upper.rfind("UTC", 0) == 0 ? name.substr(3) : name;
    if (rest.size() >= 2 && (rest[0] == '+' || rest[0] == '-')) {
        std::size_t used = 0;
        const int hours = std::stoi(rest.substr(1), &used);
        int minutes = 0;
        std::string tail = rest.substr(1 + used);
        if (!tail.empty() && tail[0] == ':') tail = tail.substr(1);
        if (!tail.empty()) minutes = std::stoi(tail);
        fixed_offset_ = (rest[0] == '+' ? 1 : -1) * (hours * 3600 + minutes * 60);
        return;
    }
    throw std::invalid_argument("the benchmark store knows the timezones UTC, Europe/Berlin and fixed offsets, not " +
                                name);
}

bool SiteTimezone::berlin_dst(Time utc) const {
    const int y = year_of(utc);
    return utc >= last_sunday_1am(y, 3) && utc < last_sunday_1am(y, 10);
}

Time SiteTimezone::to_local(Time utc) const {
    if (berlin_) return utc + (berlin_dst(utc) ? 7200 : 3600);
    return utc + fixed_offset_;
}

Time SiteTimezone::to_utc(Time local) const {
    if (!berlin_) return local - fixed_offset_;
    // zoneinfo with fold=0: an ambiguous time takes the first (summer)
    // offset, a skipped one the offset before the change (winter).
    if (to_local(local - 7200) == local) return local - 7200;
    return local - 3600;
}

}  // namespace benchstore
