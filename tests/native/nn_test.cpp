// Native networks (rewind/nn.h): VJP and JVP against finite differences and each other for every activation, with
// and without the time input; the BLAS and built-in GEMM kernels agree; bad input fails with messages naming what
// is wrong; a network field inside the time stepper has exact discrete adjoints and checkpointing-invariant
// gradients.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <limits>
#include <string>

#include "field/field.hpp"
#include "nn/activation.hpp"
#include "nn/gemm.hpp"
#include "test_support.hpp"

using namespace rwdtest;

namespace {

struct nn_deleter { void operator()(rwd_nn* n) const { rwd_nn_destroy(n); } };
using nn_ptr = std::unique_ptr<rwd_nn, nn_deleter>;

const char* const activation_names[] = {"identity", "tanh", "relu", "softplus", "gelu", "sigmoid", "silu"};

nn_ptr make_network(rwd_context* ctx, const std::vector<int64_t>& sizes, const std::vector<const char*>& activations,
                    bool time_input) {
    rwd_nn* nn = nullptr;
    const rwd_status status = rwd_nn_create(ctx, static_cast<int64_t>(activations.size()), sizes.data(),
                                            activations.data(), time_input ? 1 : 0, &nn);
    if (status != RWD_OK) throw std::runtime_error(last_error(ctx));
    return nn_ptr(nn);
}

int64_t parameter_count(rwd_nn* nn) {
    int64_t count = 0;
    EXPECT_EQ(rwd_nn_parameter_count(nn, &count), RWD_OK);
    return count;
}

double max_abs(const std::vector<double>& v) {
    double m = 0.0;
    for (double x : v) m = std::max(m, std::fabs(x));
    return m;
}

double max_abs_difference(const std::vector<double>& a, const std::vector<double>& b) {
    double m = 0.0;
    for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::fabs(a[i] - b[i]));
    return m;
}

std::vector<double> axpy(double alpha, const std::vector<double>& x, const std::vector<double>& y) {
    std::vector<double> out(y);
    for (size_t i = 0; i < y.size(); ++i) out[i] += alpha * x[i];
    return out;
}

// A network with random inputs and parameters, and its forward, VJP and JVP on them.
struct network_probe {
    context_ptr ctx = make_context();
    nn_ptr nn;
    int64_t batch, inputs, outputs, np;
    double t = 0.7;
    std::vector<double> x, p;

    network_probe(const std::vector<int64_t>& sizes, const std::vector<const char*>& activations, bool time_input,
                  int64_t batch_size, std::mt19937& rng)
        : nn(make_network(ctx.get(), sizes, activations, time_input)), batch(batch_size), inputs(sizes.front()),
          outputs(sizes.back()), np(parameter_count(nn.get())) {
        x = random_vector(rng, static_cast<size_t>(batch * inputs));
        p = random_vector(rng, static_cast<size_t>(np));
    }

    std::vector<double> forward(const std::vector<double>& at_x, const std::vector<double>& at_p) {
        std::vector<double> y(static_cast<size_t>(batch * outputs));
        EXPECT_EQ(rwd_nn_forward(nn.get(), t, at_x.data(), batch, at_p.data(), np, y.data()), RWD_OK)
            << last_error(ctx.get());
        return y;
    }
    std::vector<double> jvp(const std::vector<double>& v_x, const std::vector<double>& v_p) {
        std::vector<double> jv(static_cast<size_t>(batch * outputs));
        EXPECT_EQ(rwd_nn_jvp(nn.get(), t, x.data(), batch, p.data(), np, v_x.data(), v_p.data(), jv.data()), RWD_OK)
            << last_error(ctx.get());
        return jv;
    }
    std::pair<std::vector<double>, std::vector<double>> vjp(const std::vector<double>& w) {
        std::vector<double> w_dx(static_cast<size_t>(batch * inputs)), w_dp(static_cast<size_t>(np));
        EXPECT_EQ(rwd_nn_vjp(nn.get(), t, x.data(), batch, p.data(), np, w.data(), w_dx.data(), w_dp.data()), RWD_OK)
            << last_error(ctx.get());
        return {w_dx, w_dp};
    }
};

}  // namespace

TEST(NnNetwork, VjpAndJvpMatchFiniteDifferencesAndEachOtherForEveryActivation) {
    std::mt19937 rng(2024);
    const double h = 1e-5;
    for (const char* activation : activation_names) {
        for (bool time_input : {false, true}) {
            SCOPED_TRACE(std::string(activation) + (time_input ? " with time input" : ""));
            network_probe probe({3, 5, 4}, {activation, activation}, time_input, 4, rng);
            const auto v_x = random_vector(rng, probe.x.size()), v_p = random_vector(rng, probe.p.size());
            const auto w = random_vector(rng, static_cast<size_t>(probe.batch * probe.outputs));
            const std::vector<double> no_x(probe.x.size(), 0.0), no_p(probe.p.size(), 0.0);
            const auto [w_dx, w_dp] = probe.vjp(w);
            for (bool along_input : {true, false}) {
                SCOPED_TRACE(along_input ? "along the input" : "along the parameters");
                const auto& v = along_input ? v_x : v_p;
                const auto& vjp = along_input ? w_dx : w_dp;
                const auto jv = along_input ? probe.jvp(v_x, no_p) : probe.jvp(no_x, v_p);
                const auto plus = along_input ? probe.forward(axpy(h, v, probe.x), probe.p)
                                              : probe.forward(probe.x, axpy(h, v, probe.p));
                const auto minus = along_input ? probe.forward(axpy(-h, v, probe.x), probe.p)
                                               : probe.forward(probe.x, axpy(-h, v, probe.p));
                const auto difference = axpy(-1.0, minus, plus);
                std::vector<double> central(difference.size());
                for (size_t i = 0; i < central.size(); ++i) central[i] = difference[i] / (2.0 * h);
                EXPECT_LE(max_abs_difference(jv, central), 1e-7 * max_abs(jv));
                const double w_fd = dot(w, central), w_jv = dot(w, jv), vjp_v = dot(vjp, v);
                EXPECT_NEAR(vjp_v, w_fd, 1e-7 * std::fabs(w_fd));
                EXPECT_NEAR(vjp_v, w_jv, 1e-12 * std::fabs(w_jv));
            }
        }
    }
}

TEST(NnNetwork, KernelsAgreeAndRepeatedCallsGiveTheSameBits) {
    std::mt19937 rng(3);
    network_probe probe({5, 33, 17, 5}, {"tanh", "gelu", "identity"}, true, 37, rng);
    const auto v_x = random_vector(rng, probe.x.size()), v_p = random_vector(rng, probe.p.size());
    const auto w = random_vector(rng, static_cast<size_t>(probe.batch * probe.outputs));
    struct outputs {
        std::vector<double> y, jv, w_dx, w_dp;
    };
    auto evaluate = [&] {
        outputs o{probe.forward(probe.x, probe.p), probe.jvp(v_x, v_p), {}, {}};
        std::tie(o.w_dx, o.w_dp) = probe.vjp(w);
        return o;
    };
    ASSERT_EQ(rwd_nn_set_gemm(probe.nn.get(), "builtin"), RWD_OK);
    const outputs built_in = evaluate();
    const outputs again = evaluate();
    EXPECT_EQ(again.y, built_in.y);
    EXPECT_EQ(again.jv, built_in.jv);
    EXPECT_EQ(again.w_dx, built_in.w_dx);
    EXPECT_EQ(again.w_dp, built_in.w_dp);
    if (!rwd::blas_available()) {
        EXPECT_EQ(rwd_nn_set_gemm(probe.nn.get(), "blas"), RWD_ERR_UNSUPPORTED);
        std::cout << "[   NOTE   ] librewind was built without BLAS: tested the built-in GEMM only\n";
        return;
    }
    ASSERT_EQ(rwd_nn_set_gemm(probe.nn.get(), "blas"), RWD_OK);
    const outputs blas = evaluate();
    EXPECT_LE(max_abs_difference(blas.y, built_in.y), 1e-13 * max_abs(built_in.y));
    EXPECT_LE(max_abs_difference(blas.jv, built_in.jv), 1e-13 * max_abs(built_in.jv));
    EXPECT_LE(max_abs_difference(blas.w_dx, built_in.w_dx), 1e-13 * max_abs(built_in.w_dx));
    EXPECT_LE(max_abs_difference(blas.w_dp, built_in.w_dp), 1e-13 * max_abs(built_in.w_dp));
}

TEST(NnGemm, BlasAndBuiltInAgreeOnOddShapes) {
    struct shape {
        int64_t m, n, k;
    };
    // Single entries, odd tiles, and more rows, columns and depth than one cache block of the built-in kernel.
    const shape shapes[] = {{1, 1, 1},   {7, 13, 5},   {64, 64, 256}, {5, 7, 300},
                            {200, 9, 3}, {3, 2100, 2}, {97, 31, 257}};
    const bool have_blas = rwd::blas_available();
    std::mt19937 rng(17);
    rwd::gemm_workspace workspace;
    for (const auto& s : shapes)
        for (bool transpose_a : {false, true})
            for (bool transpose_b : {false, true})
                for (double beta : {0.0, -1.3}) {
                    SCOPED_TRACE(std::to_string(s.m) + "x" + std::to_string(s.n) + "x" + std::to_string(s.k) +
                                 (transpose_a ? " A^T" : " A") + (transpose_b ? " B^T" : " B") +
                                 " beta " + std::to_string(beta));
                    // Stored with two spare columns, so the strides differ from the widths.
                    const int64_t a_rows = transpose_a ? s.k : s.m, a_cols = transpose_a ? s.m : s.k;
                    const int64_t b_rows = transpose_b ? s.n : s.k, b_cols = transpose_b ? s.k : s.n;
                    const int64_t lda = a_cols + 2, ldb = b_cols + 2, ldc = s.n + 2;
                    const auto a = random_vector(rng, static_cast<size_t>(a_rows * lda));
                    const auto b = random_vector(rng, static_cast<size_t>(b_rows * ldb));
                    // beta = 0 must not read C: NaN there would show.
                    const auto c0 = beta == 0.0 ? std::vector<double>(static_cast<size_t>(s.m * ldc),
                                                                      std::numeric_limits<double>::quiet_NaN())
                                                : random_vector(rng, static_cast<size_t>(s.m * ldc));
                    const double alpha = 0.7;
                    const rwd::gemm_operand op_a{a.data(), lda, transpose_a}, op_b{b.data(), ldb, transpose_b};
                    std::vector<double> reference(static_cast<size_t>(s.m * s.n)), bound(reference.size());
                    for (int64_t i = 0; i < s.m; ++i)
                        for (int64_t j = 0; j < s.n; ++j) {
                            double sum = 0.0, magnitude = 0.0;
                            for (int64_t p = 0; p < s.k; ++p) {
                                const double a_ip = transpose_a ? a[p * lda + i] : a[i * lda + p];
                                const double b_pj = transpose_b ? b[j * ldb + p] : b[p * ldb + j];
                                sum += a_ip * b_pj;
                                magnitude += std::fabs(a_ip * b_pj);
                            }
                            const double c_ij = beta == 0.0 ? 0.0 : beta * c0[i * ldc + j];
                            reference[i * s.n + j] = alpha * sum + c_ij;
                            bound[i * s.n + j] = 1e-13 * (alpha * magnitude + std::fabs(c_ij));
                        }
                    std::vector<std::pair<const char*, std::vector<double>>> results;
                    for (auto kernel : {rwd::gemm_kernel::built_in, rwd::gemm_kernel::blas}) {
                        if (kernel == rwd::gemm_kernel::blas && !have_blas) continue;
                        auto c = c0;
                        rwd::gemm(kernel, workspace, s.m, s.n, s.k, alpha, op_a, op_b, beta, c.data(), ldc);
                        for (int64_t i = 0; i < s.m; ++i) {
                            for (int64_t j = 0; j < s.n; ++j)
                                ASSERT_LE(std::fabs(c[i * ldc + j] - reference[i * s.n + j]), bound[i * s.n + j])
                                    << (kernel == rwd::gemm_kernel::blas ? "blas" : "built-in") << " C[" << i
                                    << "][" << j << "]";
                            // The spare columns are not C's and stay untouched.
                            for (int64_t j = s.n; j < ldc; ++j)
                                ASSERT_TRUE(std::isnan(c0[i * ldc + j]) ? std::isnan(c[i * ldc + j])
                                                                        : c[i * ldc + j] == c0[i * ldc + j]);
                        }
                    }
                }
    if (!have_blas) std::cout << "[   NOTE   ] librewind was built without BLAS: tested the built-in GEMM only\n";
}

TEST(NnActivation, ValuesAndSlopesStayFiniteAndAccurateForLargeArguments) {
    const std::vector<double> z = {-1000.0, -40.0, -1e-300, 0.0, 1e-300, 40.0, 1000.0};
    const size_t n = z.size();
    for (const char* name : activation_names) {
        SCOPED_TRACE(name);
        const auto f = rwd::activation_named(name, "test");
        std::vector<double> a(n), slope(n);
        const std::vector<double> ones(n, 1.0);
        rwd::activate(f, z.data(), a.data(), static_cast<int64_t>(n));
        rwd::multiply_by_slope(f, z.data(), a.data(), ones.data(), slope.data(), static_cast<int64_t>(n));
        for (size_t i = 0; i < n; ++i) {
            EXPECT_TRUE(std::isfinite(a[i])) << "f(" << z[i] << ") = " << a[i];
            EXPECT_TRUE(std::isfinite(slope[i])) << "f'(" << z[i] << ") = " << slope[i];
        }
    }
    auto value = [&](const char* name, double at) {
        double a = 0.0;
        rwd::activate(rwd::activation_named(name, "test"), &at, &a, 1);
        return a;
    };
    auto slope = [&](const char* name, double at) {
        double a = 0.0, one = 1.0, s = 0.0;
        const auto f = rwd::activation_named(name, "test");
        rwd::activate(f, &at, &a, 1);
        rwd::multiply_by_slope(f, &at, &a, &one, &s, 1);
        return s;
    };
    EXPECT_EQ(value("softplus", 1000.0), 1000.0);
    EXPECT_DOUBLE_EQ(value("softplus", -40.0), std::exp(-40.0));  // no cancellation in log(1 + e^z)
    EXPECT_DOUBLE_EQ(slope("sigmoid", 40.0), std::exp(-40.0));     // no cancellation in s (1 - s)
    EXPECT_DOUBLE_EQ(slope("tanh", 20.0), 1.0 - std::tanh(20.0) * std::tanh(20.0));
    const double gelu_tail = -10.0 * 0.5 * std::erfc(10.0 / std::sqrt(2.0));  // where 1 + erf(z / sqrt 2) is 0
    EXPECT_NEAR(value("gelu", -10.0), gelu_tail, 1e-13 * std::fabs(gelu_tail));
    EXPECT_EQ(value("relu", -1e-300), 0.0);
    EXPECT_EQ(slope("relu", 0.0), 0.0);
    EXPECT_DOUBLE_EQ(value("silu", -40.0), -40.0 * std::exp(-40.0) / (1.0 + std::exp(-40.0)));
    EXPECT_EQ(slope("identity", 3.0), 1.0);
}

namespace {
double reference_logistic(double z) {
    return z >= 0.0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z));
}
}  // namespace

TEST(NnActivation, ValuesMatchTheStandardLibraryToAFewUlps) {
    // The activations evaluate exp and expm1 with their own vectorizable code; the C++ library is the reference.
    const std::pair<const char*, double (*)(double)> references[] = {
        {"tanh", [](double z) { return std::tanh(z); }},
        {"sigmoid", reference_logistic},
        {"silu", [](double z) { return z * reference_logistic(z); }},
        {"softplus", [](double z) { return std::max(z, 0.0) + std::log1p(std::exp(-std::fabs(z))); }},
    };
    std::vector<double> z;
    for (double magnitude = 1e-300; magnitude < 800.0; magnitude *= 1.07) {
        z.push_back(magnitude);
        z.push_back(-magnitude);
    }
    std::mt19937 rng(1);
    for (int i = 0; i < 20000; ++i) z.push_back(40.0 * random_vector(rng, 1)[0]);
    std::vector<double> a(z.size());
    for (const auto& [name, reference] : references) {
        SCOPED_TRACE(name);
        rwd::activate(rwd::activation_named(name, "test"), z.data(), a.data(), static_cast<int64_t>(z.size()));
        for (size_t i = 0; i < z.size(); ++i) {
            const double expected = reference(z[i]);
            ASSERT_LE(std::fabs(a[i] - expected), 1e-15 * std::fabs(expected) + 1e-320)
                << "at z = " << z[i] << ": " << a[i] << " vs " << expected;
        }
    }
}

TEST(NnBadInput, CreateRejectsUnknownActivationsBadSizesAndNulls) {
    auto ctx = make_context();
    const int64_t sizes[] = {2, 4, 2};
    const char* good[] = {"tanh", "identity"};
    rwd_nn* nn = nullptr;
    auto create = [&](int64_t layers, const int64_t* s, const char* const* a) {
        return rwd_nn_create(ctx.get(), layers, s, a, 0, &nn);
    };
    const char* misspelled[] = {"tanh", "tahn"};
    EXPECT_EQ(create(2, sizes, misspelled), RWD_ERR_UNKNOWN_NAME);
    EXPECT_NE(last_error(ctx.get()).find("activations[1] = \"tahn\" is not an activation"), std::string::npos)
        << last_error(ctx.get());
    EXPECT_NE(last_error(ctx.get()).find("silu"), std::string::npos);  // the known names are listed
    EXPECT_EQ(create(0, sizes, good), RWD_ERR_ARGUMENT);
    EXPECT_NE(last_error(ctx.get()).find("layers = 0 must be at least 1"), std::string::npos);
    const int64_t empty_layer[] = {2, 0, 2};
    EXPECT_EQ(create(2, empty_layer, good), RWD_ERR_ARGUMENT);
    EXPECT_NE(last_error(ctx.get()).find("sizes[1] = 0 must be between 1"), std::string::npos);
    EXPECT_EQ(create(2, nullptr, good), RWD_ERR_ARGUMENT);
    EXPECT_EQ(last_error(ctx.get()), "sizes is NULL");
    EXPECT_EQ(create(2, sizes, nullptr), RWD_ERR_ARGUMENT);
    EXPECT_EQ(last_error(ctx.get()), "activations is NULL");
    const char* missing[] = {"tanh", nullptr};
    EXPECT_EQ(create(2, sizes, missing), RWD_ERR_ARGUMENT);
    EXPECT_EQ(last_error(ctx.get()), "activations[1] is NULL");
    EXPECT_EQ(nn, nullptr);
    EXPECT_EQ(rwd_nn_create(ctx.get(), 2, sizes, good, 0, nullptr), RWD_ERR_ARGUMENT);
    EXPECT_EQ(last_error(ctx.get()), "out is NULL");
    EXPECT_EQ(rwd_nn_create(nullptr, 2, sizes, good, 0, &nn), RWD_ERR_ARGUMENT);
    const char* message = nullptr;
    rwd_last_error(&message);
    EXPECT_STREQ(message, "ctx is NULL");
}

TEST(NnBadInput, CallsRejectNullsMismatchedSizesAndNonFiniteInputs) {
    std::mt19937 rng(5);
    network_probe probe({2, 4, 3}, {"tanh", "identity"}, false, 2, rng);
    rwd_nn* nn = probe.nn.get();
    rwd_context* ctx = probe.ctx.get();
    const int64_t np = probe.np, batch = probe.batch;
    const double* x = probe.x.data();
    const double* p = probe.p.data();
    std::vector<double> y(6), w(6, 1.0), w_dx(4), w_dp(static_cast<size_t>(np)), v_x(4, 1.0),
        v_p(static_cast<size_t>(np), 1.0);
    auto expect = [&](rwd_status status, rwd_status expected, const std::string& message) {
        EXPECT_EQ(status, expected) << message;
        EXPECT_NE(last_error(ctx).find(message), std::string::npos) << last_error(ctx);
    };
    expect(rwd_nn_forward(nn, 0.0, nullptr, batch, p, np, y.data()), RWD_ERR_ARGUMENT, "x is NULL");
    expect(rwd_nn_forward(nn, 0.0, x, batch, nullptr, np, y.data()), RWD_ERR_ARGUMENT, "p is NULL");
    expect(rwd_nn_forward(nn, 0.0, x, batch, p, np, nullptr), RWD_ERR_ARGUMENT, "y is NULL");
    expect(rwd_nn_forward(nn, 0.0, x, batch, p, np - 1, y.data()), RWD_ERR_ARGUMENT,
           "np = " + std::to_string(np - 1) + " but the network has " + std::to_string(np) + " parameters");
    expect(rwd_nn_forward(nn, 0.0, x, 0, p, np, y.data()), RWD_ERR_ARGUMENT, "batch = 0 must be between 1");
    expect(rwd_nn_forward(nn, std::nan(""), x, batch, p, np, y.data()), RWD_ERR_NONFINITE, "t is nan");
    auto bad_x = probe.x;
    bad_x[3] = std::numeric_limits<double>::infinity();
    expect(rwd_nn_forward(nn, 0.0, bad_x.data(), batch, p, np, y.data()), RWD_ERR_NONFINITE,
           "x[1][1] (sample 1, entry 1) is inf");
    auto bad_p = probe.p;
    bad_p[5] = std::nan("");
    expect(rwd_nn_forward(nn, 0.0, x, batch, bad_p.data(), np, y.data()), RWD_ERR_NONFINITE, "p[5] is nan");
    expect(rwd_nn_vjp(nn, 0.0, x, batch, p, np, nullptr, w_dx.data(), w_dp.data()), RWD_ERR_ARGUMENT, "w is NULL");
    expect(rwd_nn_vjp(nn, 0.0, x, batch, p, np, w.data(), nullptr, w_dp.data()), RWD_ERR_ARGUMENT, "w_dx is NULL");
    expect(rwd_nn_vjp(nn, 0.0, x, batch, p, np, w.data(), w_dx.data(), nullptr), RWD_ERR_ARGUMENT, "w_dp is NULL");
    w[5] = -std::numeric_limits<double>::infinity();
    expect(rwd_nn_vjp(nn, 0.0, x, batch, p, np, w.data(), w_dx.data(), w_dp.data()), RWD_ERR_NONFINITE,
           "w[1][2] (sample 1, entry 2) is -inf");
    expect(rwd_nn_jvp(nn, 0.0, x, batch, p, np, nullptr, v_p.data(), y.data()), RWD_ERR_ARGUMENT, "v_x is NULL");
    expect(rwd_nn_jvp(nn, 0.0, x, batch, p, np, v_x.data(), nullptr, y.data()), RWD_ERR_ARGUMENT, "v_p is NULL");
    expect(rwd_nn_jvp(nn, 0.0, x, batch, p, np, v_x.data(), v_p.data(), nullptr), RWD_ERR_ARGUMENT, "jv is NULL");
    v_p[0] = std::nan("");
    expect(rwd_nn_jvp(nn, 0.0, x, batch, p, np, v_x.data(), v_p.data(), y.data()), RWD_ERR_NONFINITE,
           "v_p[0] is nan");
    expect(rwd_nn_set_gemm(nn, "cublas"), RWD_ERR_UNKNOWN_NAME,
           "gemm kernel \"cublas\" is not known; known: auto, blas, builtin");
    expect(rwd_nn_set_gemm(nn, nullptr), RWD_ERR_ARGUMENT, "kernel is NULL");
    expect(rwd_nn_parameter_count(nn, nullptr), RWD_ERR_ARGUMENT, "count is NULL");
    EXPECT_EQ(rwd_nn_forward(nullptr, 0.0, x, batch, p, np, y.data()), RWD_ERR_ARGUMENT);
    const char* message = nullptr;
    rwd_last_error(&message);
    EXPECT_STREQ(message, "nn is NULL");
    rwd_nn_destroy(nullptr);
}

TEST(NnBadInput, FieldNeedsAsManyOutputsAsInputsAndAValidBatch) {
    auto ctx = make_context();
    rwd_field* field = nullptr;
    for (bool time_input : {false, true}) {
        auto narrowing = make_network(ctx.get(), {2, 4, 3}, {"tanh", "identity"}, time_input);
        EXPECT_EQ(rwd_nn_field_create(narrowing.get(), 3, &field), RWD_ERR_ARGUMENT);
        const std::string message = last_error(ctx.get());
        EXPECT_NE(message.find("as many outputs as inputs: sizes[0] = 2 but sizes[2] = 3"), std::string::npos)
            << message;
        EXPECT_EQ(message.find("time column") != std::string::npos, time_input) << message;
    }
    auto square = make_network(ctx.get(), {2, 4, 2}, {"tanh", "identity"}, false);
    EXPECT_EQ(rwd_nn_field_create(square.get(), 0, &field), RWD_ERR_ARGUMENT);
    EXPECT_NE(last_error(ctx.get()).find("batch = 0 must be between 1"), std::string::npos);
    EXPECT_EQ(rwd_nn_field_create(square.get(), 3, nullptr), RWD_ERR_ARGUMENT);
    EXPECT_EQ(last_error(ctx.get()), "out is NULL");
    EXPECT_EQ(rwd_nn_field_create(nullptr, 3, &field), RWD_ERR_ARGUMENT);
    EXPECT_EQ(field, nullptr);
    // The batch is the state: 3 samples of 2 entries are 6 states, and 7 do not divide into samples.
    ASSERT_EQ(rwd_nn_field_create(square.get(), 3, &field), RWD_OK);
    field_ptr owned(field);
    EXPECT_EQ(field->n, 6);
    EXPECT_EQ(field->np, parameter_count(square.get()));
    auto ts = make_ts(ctx.get(), "rk4", 0.1);
    const std::vector<double> y0(7, 0.5), p(static_cast<size_t>(field->np), 0.1), tout = {1.0};
    std::vector<double> yout(7);
    EXPECT_EQ(rwd_ts_solve(ts.get(), field, y0.data(), 7, p.data(), field->np, 0.0, tout.data(), 1, yout.data()),
              RWD_ERR_ARGUMENT);
    EXPECT_EQ(last_error(ctx.get()), "y0 has 7 entries; the field's state has 6");
}

namespace {

// A 2 -> 16 -> 2 tanh network with the time input as the vector field of 3 samples, solved by one method.
struct network_run {
    context_ptr ctx = make_context();
    nn_ptr nn = make_network(ctx.get(), {2, 16, 2}, {"tanh", "identity"}, true);
    field_ptr field;
    ts_ptr ts;
    std::vector<double> y0 = {1.0, 0.0, 0.5, -0.5, -0.3, 0.8};
    std::vector<double> p;
    std::vector<double> tout = {0.4, 1.0};
    std::vector<double> yout = std::vector<double>(12);

    network_run(const char* type, const char* method, double dt, const char* trajectory, int64_t checkpoints) {
        rwd_field* f = nullptr;
        EXPECT_EQ(rwd_nn_field_create(nn.get(), 3, &f), RWD_OK) << last_error(ctx.get());
        field.reset(f);
        std::mt19937 rng(99);
        p = random_vector(rng, static_cast<size_t>(parameter_count(nn.get())));
        rwd_ts* raw = nullptr;
        EXPECT_EQ(rwd_ts_create(ctx.get(), type, method, &raw), RWD_OK);
        ts.reset(raw);
        EXPECT_EQ(rwd_ts_set_step(raw, dt), RWD_OK);
        EXPECT_EQ(rwd_ts_set_tolerances(raw, 1e-8, 1e-10), RWD_OK);
        if (std::string(type) == "esdirk") EXPECT_EQ(rwd_ts_set_linear_solver(raw, "dense", 1e-12, 30), RWD_OK);
        EXPECT_EQ(rwd_ts_set_trajectory(raw, trajectory, checkpoints, 0, nullptr, 0), RWD_OK);
        EXPECT_EQ(rwd_ts_solve(raw, f, y0.data(), 6, p.data(), static_cast<int64_t>(p.size()), 0.0, tout.data(), 2,
                               yout.data()),
                  RWD_OK)
            << last_error(ctx.get());
    }

    std::pair<std::vector<double>, std::vector<double>> gradient(const std::vector<double>& w) {
        std::vector<double> g_y0(6), g_p(p.size());
        EXPECT_EQ(rwd_ts_adjoint_solve(ts.get(), w.data(), 12, g_y0.data(), 6, g_p.data(),
                                       static_cast<int64_t>(g_p.size())),
                  RWD_OK)
            << last_error(ctx.get());
        return {g_y0, g_p};
    }
};

}  // namespace

TEST(NnField, NetworkFieldHasExactAdjointsAndCheckpointedGradientsInsideTheTimeStepper) {
    struct method {
        const char* type;
        const char* name;
        double dt;
    };
    std::mt19937 rng(8);
    for (const auto& m : {method{"rk", "dopri5", 0.0}, method{"rk", "rk4", 0.05}, method{"esdirk", "kvaerno4", 0.0}}) {
        SCOPED_TRACE(std::string(m.type) + "/" + m.name);
        network_run run(m.type, m.name, m.dt, "store-all", 0);
        const auto w = random_vector(rng, 12), dy0 = random_vector(rng, 6), dp = random_vector(rng, run.p.size());
        std::vector<double> dyout(12);
        ASSERT_EQ(rwd_ts_tlm_solve(run.ts.get(), dy0.data(), 6, dp.data(), static_cast<int64_t>(dp.size()),
                                   dyout.data(), 12),
                  RWD_OK)
            << last_error(run.ctx.get());
        const auto gradient = run.gradient(w);
        const double forward = dot(w, dyout), reverse = dot(dy0, gradient.first) + dot(dp, gradient.second);
        EXPECT_NEAR(reverse, forward, 1e-10 * std::fabs(forward));
        rwd_ts_stats stats{};
        rwd_ts_get_stats(run.ts.get(), &stats);
        EXPECT_GT(stats.steps, 3);
        if (std::string(m.type) == "esdirk") EXPECT_GT(stats.jacobian_evals, 0);  // from the field's jvp columns

        network_run checkpointed(m.type, m.name, m.dt, "binomial", 3);
        EXPECT_EQ(checkpointed.yout, run.yout);
        EXPECT_EQ(checkpointed.gradient(w), gradient);
        rwd_ts_get_stats(checkpointed.ts.get(), &stats);
        EXPECT_GT(stats.recomputed_steps, 0);
    }
}
