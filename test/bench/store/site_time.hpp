// Dates as the test store keeps them: naive UTC instants (here seconds since
// the epoch), shown as "YYYY-MM-DDTHH:MM:SS" in UTC (*_gmt) and in the site's
// timezone. Timezones: UTC, fixed offsets ("+02:00") and Europe/Berlin with
// the EU daylight-saving rule (what zoneinfo gives for the dates in play).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace benchstore {

using Time = std::int64_t;

Time time_from_civil(int year, int month, int day, int hour, int minute, int second);
std::string format_time(Time t);
// "YYYY-MM-DDTHH:MM:SS" with an optional fraction and offset (rest_parse_date);
// offset_seconds is set when the text carries one.
std::optional<Time> parse_rest_time(const std::string& text, std::optional<int>* offset_seconds = nullptr);
Time now_utc();

class SiteTimezone {
public:
    // Throws std::invalid_argument for a name it does not know.
    explicit SiteTimezone(const std::string& name);
    const std::string& name() const { return name_; }
    Time to_local(Time utc) const;
    Time to_utc(Time local) const;

private:
    bool berlin_dst(Time utc) const;
    std::string name_;
    bool berlin_ = false;
    int fixed_offset_ = 0;
};

}  // namespace benchstore
