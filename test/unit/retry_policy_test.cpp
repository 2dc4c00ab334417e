#include "core/transport/retry_policy.hpp"

#include <gtest/gtest.h>

namespace wcfdw {
namespace {

TEST(RequestIsIdempotent, PostIsNotUnlessSaidSo) {
    HttpRequest r;
    for (HttpMethod m : {HttpMethod::Get, HttpMethod::Put, HttpMethod::Delete, HttpMethod::Options}) {
        r.method = m;
        EXPECT_TRUE(request_is_idempotent(r)) << http_method_name(m);
    }
    r.method = HttpMethod::Post;
    EXPECT_FALSE(request_is_idempotent(r));
    r.idempotent = true;
    EXPECT_TRUE(request_is_idempotent(r));
    r.method = HttpMethod::Get;
    r.idempotent = false;
    EXPECT_FALSE(request_is_idempotent(r));
}

TEST(StatusIsRetryable, RateLimitAlwaysGatewayErrorsOnlyWhenIdempotent) {
    EXPECT_TRUE(status_is_retryable(429, true));
    EXPECT_TRUE(status_is_retryable(429, false));
    for (long s : {502L, 503L, 504L}) {
        EXPECT_TRUE(status_is_retryable(s, true)) << s;
        EXPECT_FALSE(status_is_retryable(s, false)) << s;
    }
    for (long s : {200L, 301L, 400L, 401L, 404L, 500L}) EXPECT_FALSE(status_is_retryable(s, true)) << s;
}

TEST(StatusIsRetryable, GatewayTimeoutOnlyWhenRunningTwiceIsHarmless) {
    // 504: the gateway stopped waiting; the first attempt may still run.
    EXPECT_FALSE(status_is_retryable(504, true, false));
    EXPECT_TRUE(status_is_retryable(502, true, false));
    EXPECT_TRUE(status_is_retryable(503, true, false));
    EXPECT_TRUE(status_is_retryable(429, false, false));
}

TEST(RequestRepeatsWhileRunning, DefaultsToIdempotent) {
    HttpRequest r;
    r.method = HttpMethod::Post;
    EXPECT_FALSE(request_repeats_while_running(r));
    r.idempotent = true;
    EXPECT_TRUE(request_repeats_while_running(r));
    r.repeat_while_running = false;
    EXPECT_FALSE(request_repeats_while_running(r));
}

TEST(BackoffDelay, DoublesIsCappedAndJittersIntoTheUpperHalf) {
    EXPECT_EQ(backoff_delay_ms(0, 500, 30000, 0.999999), 499);
    EXPECT_EQ(backoff_delay_ms(0, 500, 30000, 0.0), 250);
    EXPECT_EQ(backoff_delay_ms(3, 500, 30000, 0.0), 2000);
    EXPECT_EQ(backoff_delay_ms(10, 500, 30000, 0.0), 15000);
    EXPECT_LE(backoff_delay_ms(10, 500, 30000, 0.999999), 30000);
    EXPECT_LE(backoff_delay_ms(1000, 500, 30000, 1.0), 30000);  // no overflow
    EXPECT_EQ(backoff_delay_ms(2, 0, 30000, 0.5), 0);
    for (int retry = 0; retry < 6; ++retry)
        for (double unit : {0.0, 0.3, 0.7, 0.99}) {
            const long d = std::min(100L << retry, 1000L);
            const long got = backoff_delay_ms(retry, 100, 1000, unit);
            EXPECT_GE(got, d / 2);
            EXPECT_LE(got, d);
        }
}

TEST(RetryAfter, DeltaSecondsAndHttpDates) {
    EXPECT_EQ(retry_after_ms("3", 0), 3000);
    EXPECT_EQ(retry_after_ms(" 0 ", 0), 0);
    EXPECT_EQ(retry_after_ms("99999999999", 0), 86400L * 1000L);
    const std::time_t date = 1445412480;  // Wed, 21 Oct 2015 07:28:00 GMT
    EXPECT_EQ(retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT", date - 10), 10000);
    EXPECT_EQ(retry_after_ms("Wednesday, 21-Oct-15 07:28:00 GMT", date - 2), 2000);  // RFC 850
    EXPECT_EQ(retry_after_ms("Wed Oct 21 07:28:00 2015", date - 1), 1000);          // asctime
    EXPECT_EQ(retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT", date + 60), 0);
    EXPECT_FALSE(retry_after_ms("", 0).has_value());
    EXPECT_FALSE(retry_after_ms("soon", 0).has_value());
    EXPECT_FALSE(retry_after_ms("-5", 0).has_value());
}

}  // namespace
}  // namespace wcfdw
