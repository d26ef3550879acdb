#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "test_support.hpp"

using namespace rwdtest;

namespace {

struct vec_deleter { void operator()(rwd_vec* v) const { rwd_vec_destroy(v); } };
using vec_ptr = std::unique_ptr<rwd_vec, vec_deleter>;

vec_ptr make(rwd_context* ctx, const std::vector<double>& values) {
    rwd_vec* v = nullptr;
    EXPECT_EQ(rwd_vec_create(ctx, "cpu", static_cast<int64_t>(values.size()), &v), RWD_OK);
    EXPECT_EQ(rwd_vec_set(v, values.data(), static_cast<int64_t>(values.size())), RWD_OK);
    return vec_ptr(v);
}

std::vector<double> values(const rwd_vec* v) {
    int64_t n = 0;
    rwd_vec_size(v, &n);
    std::vector<double> out(static_cast<size_t>(n));
    rwd_vec_get(v, out.data(), n);
    return out;
}

}  // namespace

TEST(Vec, OpsComputeWhatTheyDocument) {
    auto ctx = make_context();
    auto x = make(ctx.get(), {1, 2, 3});
    auto y = make(ctx.get(), {4, 5, 6});
    double d = 0;
    ASSERT_EQ(rwd_vec_dot(x.get(), y.get(), &d), RWD_OK);
    EXPECT_EQ(d, 32.0);
    ASSERT_EQ(rwd_vec_axpy(y.get(), 2.0, x.get()), RWD_OK);
    EXPECT_EQ(values(y.get()), (std::vector<double>{6, 9, 12}));
    ASSERT_EQ(rwd_vec_axpby(y.get(), 1.0, x.get(), -1.0), RWD_OK);
    EXPECT_EQ(values(y.get()), (std::vector<double>{-5, -7, -9}));
    ASSERT_EQ(rwd_vec_scale(y.get(), -2.0), RWD_OK);
    EXPECT_EQ(values(y.get()), (std::vector<double>{10, 14, 18}));
    ASSERT_EQ(rwd_vec_copy(y.get(), x.get()), RWD_OK);
    EXPECT_EQ(values(y.get()), (std::vector<double>{1, 2, 3}));
    ASSERT_EQ(rwd_vec_norm2(x.get(), &d), RWD_OK);
    EXPECT_DOUBLE_EQ(d, std::sqrt(14.0));
}

TEST(Vec, BadInputIsRejectedWithAMessage) {
    auto ctx = make_context();
    auto x = make(ctx.get(), {1, 2, 3});
    auto z = make(ctx.get(), {1, 2});
    EXPECT_EQ(rwd_vec_axpy(x.get(), 1.0, z.get()), RWD_ERR_ARGUMENT);
    EXPECT_NE(last_error(ctx.get()).find("sizes differ (3 and 2)"), std::string::npos) << last_error(ctx.get());
    EXPECT_EQ(rwd_vec_axpy(x.get(), std::numeric_limits<double>::quiet_NaN(), x.get()), RWD_ERR_NONFINITE);
    double data[2] = {0, 0};
    EXPECT_EQ(rwd_vec_get(x.get(), data, 2), RWD_ERR_ARGUMENT);
    rwd_vec* v = nullptr;
    EXPECT_EQ(rwd_vec_create(ctx.get(), "quantum", 3, &v), RWD_ERR_UNKNOWN_NAME);
    EXPECT_EQ(v, nullptr);
    EXPECT_NE(last_error(ctx.get()).find("available: cpu"), std::string::npos);
    EXPECT_EQ(rwd_vec_create(ctx.get(), "cpu", -1, &v), RWD_ERR_ARGUMENT);
    EXPECT_EQ(rwd_vec_dot(x.get(), x.get(), nullptr), RWD_ERR_ARGUMENT);
    rwd_vec_destroy(nullptr);  // a no-op
}

TEST(Context, ThreadErrorIsKeptWithoutAContext) {
    EXPECT_EQ(rwd_vec_size(nullptr, nullptr), RWD_ERR_ARGUMENT);
    const char* message = nullptr;
    ASSERT_EQ(rwd_last_error(&message), RWD_OK);
    EXPECT_STREQ(message, "v is NULL");
    int32_t version = 0;
    ASSERT_EQ(rwd_abi_version(&version), RWD_OK);
    EXPECT_EQ(version, RWD_ABI_VERSION);
}

TEST(Context, LogCallbackReceivesMessagesAtOrAboveItsLevel) {
    auto ctx = make_context();
    std::vector<std::pair<int32_t, std::string>> seen;
    auto sink = [](void* user, int32_t level, const char* message) {
        static_cast<std::vector<std::pair<int32_t, std::string>>*>(user)->emplace_back(level, message);
    };
    ASSERT_EQ(rwd_context_set_log_callback(ctx.get(), sink, &seen, RWD_LOG_DEBUG), RWD_OK);
    auto field = exponential(ctx.get());
    auto ts = make_ts(ctx.get(), "rk4", 0.1);
    double y0 = 1, p = -1, tout = 1, yout = 0;
    ASSERT_EQ(rwd_ts_solve(ts.get(), field.get(), &y0, 1, &p, 1, 0.0, &tout, 1, &yout), RWD_OK);
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back().first, RWD_LOG_DEBUG);
    EXPECT_NE(seen.back().second.find("rk/rk4 solve: 10 steps"), std::string::npos) << seen.back().second;
    EXPECT_EQ(rwd_context_set_log_callback(ctx.get(), sink, &seen, 42), RWD_ERR_ARGUMENT);
}
