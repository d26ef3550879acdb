// Every tableau satisfies the Runge–Kutta order conditions (Butcher's rooted trees) of its stated order, and
// its embedded solution those of the embedded order: this checks every coefficient, not just convergence.
// The implicit tableaus are also checked for their structure and for A- and L-stability.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <functional>
#include <map>
#include <string>

#include "core/error.hpp"
#include "ts/rk_tableau.hpp"

namespace {

struct rooted_tree {
    std::vector<int> children;  // indices into the list of trees
    int order;
};

std::vector<rooted_tree> trees_up_to(int max_order) {
    std::vector<rooted_tree> trees{{{}, 1}};
    for (int n = 2; n <= max_order; ++n) {
        const size_t known = trees.size();
        // Children form a multiset (non-decreasing indices) of smaller trees whose orders add up to n - 1.
        std::function<void(size_t, int, std::vector<int>&)> choose = [&](size_t first, int left, std::vector<int>& kids) {
            if (left == 0) {
                trees.push_back({kids, n});
                return;
            }
            for (size_t i = first; i < known; ++i) {
                if (trees[i].order > left) continue;
                kids.push_back(static_cast<int>(i));
                choose(i, left - trees[i].order, kids);
                kids.pop_back();
            }
        };
        std::vector<int> kids;
        choose(0, n - 1, kids);
    }
    return trees;
}

// g(t)_i = prod over children c of (A g(c))_i; gamma(t) = |t| prod gamma(c).
std::vector<double> stage_weights(const rwd::rk_tableau& tab, const std::vector<rooted_tree>& trees, int t) {
    const int s = tab.stages();
    std::vector<double> g(static_cast<size_t>(s), 1.0);
    for (int c : trees[static_cast<size_t>(t)].children) {
        const auto gc = stage_weights(tab, trees, c);
        for (int i = 0; i < s; ++i) {
            double sum = 0.0;
            for (int j = 0; j < s; ++j) sum += tab.a_at(i, j) * gc[static_cast<size_t>(j)];
            g[static_cast<size_t>(i)] *= sum;
        }
    }
    return g;
}

double density(const std::vector<rooted_tree>& trees, int t) {
    double gamma = trees[static_cast<size_t>(t)].order;
    for (int c : trees[static_cast<size_t>(t)].children) gamma *= density(trees, c);
    return gamma;
}

double residual(const rwd::rk_tableau& tab, const std::vector<double>& b, const std::vector<rooted_tree>& trees, int t) {
    const auto g = stage_weights(tab, trees, t);
    double phi = 0.0;
    for (size_t i = 0; i < b.size(); ++i) phi += b[i] * g[i];
    return phi - 1.0 / density(trees, t);
}

void expect_rows_sum_to_nodes(const rwd::rk_tableau& tab) {
    for (int i = 0; i < tab.stages(); ++i) {
        double row = 0.0;
        for (int j = 0; j < tab.stages(); ++j) row += tab.a_at(i, j);
        EXPECT_NEAR(row, tab.c[static_cast<size_t>(i)], 1e-14) << "row " << i;
    }
}

void expect_order_conditions(const rwd::rk_tableau& tab, const std::vector<double>& b,
                             const std::vector<rooted_tree>& trees, int order, double tolerance, const char* solution) {
    for (size_t t = 0; t < trees.size(); ++t) {
        if (trees[t].order > order) continue;
        EXPECT_NEAR(residual(tab, b, trees, static_cast<int>(t)), 0.0, tolerance)
            << solution << ", tree " << t << " of order " << trees[t].order;
    }
}

// True when some tree of exactly this order fails clearly: the weights are not of a higher order than claimed.
bool breaks_order(const rwd::rk_tableau& tab, const std::vector<double>& b, const std::vector<rooted_tree>& trees,
                  int order) {
    for (size_t t = 0; t < trees.size(); ++t)
        if (trees[t].order == order && std::fabs(residual(tab, b, trees, static_cast<int>(t))) > 1e-10) return true;
    return false;
}

std::vector<double> embedded_weights(const rwd::rk_tableau& tab) {
    std::vector<double> embedded(tab.b.size());
    for (size_t i = 0; i < embedded.size(); ++i) embedded[i] = tab.b[i] - tab.b_err[i];
    return embedded;
}

// R(z) = 1 + z bᵀ(I − zA)⁻¹ 1, by forward substitution on the lower-triangular I − zA (an ESDIRK's A is singular).
std::complex<double> stability_function(const rwd::rk_tableau& tab, std::complex<double> z) {
    const int s = tab.stages();
    std::vector<std::complex<double>> stage(static_cast<size_t>(s));
    std::complex<double> r = 1.0;
    for (int i = 0; i < s; ++i) {
        std::complex<double> rhs = 1.0;
        for (int j = 0; j < i; ++j) rhs += z * tab.a_at(i, j) * stage[static_cast<size_t>(j)];
        stage[static_cast<size_t>(i)] = rhs / (1.0 - z * tab.a_at(i, i));
        r += z * tab.b[static_cast<size_t>(i)] * stage[static_cast<size_t>(i)];
    }
    return r;
}

// |R| ≤ 1 sampled on the imaginary axis and on rays into the left half plane, at magnitudes log-spaced over
// 1e-3..1e6; the upper half suffices, as R(conj z) = conj R(z) for real coefficients.
void expect_a_stable(const rwd::rk_tableau& tab) {
    const double pi = std::acos(-1.0);
    for (int k = 0; k <= 90; ++k) {
        const double magnitude = std::pow(10.0, -3.0 + k / 10.0);
        EXPECT_LE(std::abs(stability_function(tab, {0.0, magnitude})), 1 + 1e-12) << "z = i" << magnitude;
        for (int ray = 1; ray <= 16; ++ray) {
            const auto z = std::polar(magnitude, pi / 2 + ray * pi / 32);
            EXPECT_LE(std::abs(stability_function(tab, z)), 1 + 1e-12) << "z = " << z;
        }
    }
}

// The order of each DIRK tableau's embedded solution (for TR-BDF2 higher than the propagated one).
const std::map<std::string, int> embedded_solution_order = {
    {"trbdf2", 3}, {"kvaerno3", 2}, {"kvaerno4", 3}, {"kvaerno5", 4}, {"sdirk4", 3}};

}  // namespace

TEST(Tableau, TreeCountsMatchButcher) {
    const auto trees = trees_up_to(5);
    int count[6] = {};
    for (const auto& t : trees) ++count[t.order];
    EXPECT_EQ(count[1], 1);
    EXPECT_EQ(count[2], 1);
    EXPECT_EQ(count[3], 2);
    EXPECT_EQ(count[4], 4);
    EXPECT_EQ(count[5], 9);
}

TEST(Tableau, EveryTableauMeetsTheOrderConditionsOfItsOrder) {
    const auto trees = trees_up_to(6);
    for (const auto& tab : rwd::rk_tableaus()) {
        SCOPED_TRACE(tab.name);
        expect_rows_sum_to_nodes(tab);
        // 5e-14: tsit5's coefficients are published as 16-digit decimals.
        expect_order_conditions(tab, tab.b, trees, tab.order, 5e-14, "propagated");
        EXPECT_TRUE(breaks_order(tab, tab.b, trees, tab.order + 1)) << "the tableau is of higher order than stated";
        if (tab.embedded_order > 0)
            expect_order_conditions(tab, embedded_weights(tab), trees, tab.embedded_order, 5e-14, "embedded");
    }
}

TEST(DirkTableau, ListsTheMethodsAndFindsThemByName) {
    const std::vector<std::string> expected = {"trbdf2", "kvaerno3", "kvaerno4", "kvaerno5", "sdirk4"};
    ASSERT_EQ(rwd::dirk_tableaus().size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(rwd::dirk_tableaus()[i].name, expected[i]);
        EXPECT_EQ(&rwd::dirk_tableau_named(expected[i]), &rwd::dirk_tableaus()[i]);
    }
    try {
        rwd::dirk_tableau_named("radau5");
        FAIL() << "no error for an unknown name";
    } catch (const rwd::error& e) {
        EXPECT_EQ(e.status(), RWD_ERR_UNKNOWN_NAME);
        EXPECT_STREQ(e.what(),
                     "unknown esdirk method 'radau5'; available: trbdf2, kvaerno3, kvaerno4, kvaerno5, sdirk4");
    }
}

TEST(DirkTableau, IsLowerTriangularWithAConstantDiagonal) {
    for (const auto& tab : rwd::dirk_tableaus()) {
        SCOPED_TRACE(tab.name);
        const int s = tab.stages();
        ASSERT_EQ(tab.a.size(), static_cast<size_t>(s * s));
        ASSERT_EQ(tab.b.size(), static_cast<size_t>(s));
        ASSERT_EQ(tab.b_err.size(), static_cast<size_t>(s));
        for (int i = 0; i < s; ++i)
            for (int j = i + 1; j < s; ++j) EXPECT_EQ(tab.a_at(i, j), 0.0) << "a(" << i << ", " << j << ")";
        const double gamma = tab.a_at(s - 1, s - 1);
        EXPECT_GT(gamma, 0.0);
        // sdirk4's first stage is implicit like the others; the ESDIRKs' is explicit.
        EXPECT_EQ(tab.a_at(0, 0), tab.name == "sdirk4" ? gamma : 0.0);
        for (int i = 1; i < s; ++i) EXPECT_EQ(tab.a_at(i, i), gamma) << "a(" << i << ", " << i << ")";
        expect_rows_sum_to_nodes(tab);
    }
}

TEST(DirkTableau, MeetsTheOrderConditionsOfItsOrderAndOfItsEmbeddedSolution) {
    const auto trees = trees_up_to(6);
    for (const auto& tab : rwd::dirk_tableaus()) {
        SCOPED_TRACE(tab.name);
        const int embedded_order = embedded_solution_order.at(tab.name);
        // The controller's exponent 1/(q+1) needs q = the order of the error estimate, the lower of the two.
        EXPECT_EQ(tab.embedded_order, std::min(tab.order, embedded_order));
        expect_order_conditions(tab, tab.b, trees, tab.order, 1e-13, "propagated");
        EXPECT_TRUE(breaks_order(tab, tab.b, trees, tab.order + 1)) << "the tableau is of higher order than stated";
        const auto embedded = embedded_weights(tab);
        expect_order_conditions(tab, embedded, trees, embedded_order, 1e-13, "embedded");
        EXPECT_TRUE(breaks_order(tab, embedded, trees, embedded_order + 1))
            << "the embedded solution is of higher order than stated";
    }
}

TEST(DirkTableau, IsStifflyAccurate) {
    // b is the last row of A for every one of them (for TR-BDF2 too: its last stage is the BDF2 step).
    for (const auto& tab : rwd::dirk_tableaus()) {
        SCOPED_TRACE(tab.name);
        const int s = tab.stages();
        for (int j = 0; j < s; ++j) EXPECT_EQ(tab.b[static_cast<size_t>(j)], tab.a_at(s - 1, j)) << "b " << j;
        EXPECT_EQ(tab.c[static_cast<size_t>(s - 1)], 1.0);
    }
}

TEST(DirkTableau, IsLStable) {
    for (const auto& tab : rwd::dirk_tableaus()) {
        SCOPED_TRACE(tab.name);
        EXPECT_LT(std::abs(stability_function(tab, -1e8)), 1e-6);
    }
}

TEST(DirkTableau, IsAStable) {
    for (const auto& tab : rwd::dirk_tableaus()) {
        SCOPED_TRACE(tab.name);
        expect_a_stable(tab);
    }
}

TEST(ThetaTableau, HasTheOrderOfItsThetaAndTheStabilityAtInfinity) {
    const auto trees = trees_up_to(3);
    struct theta_case {
        const char* name;
        double theta;
        int order;
    };
    for (const auto& [name, theta, order] : {theta_case{"cn", 0.5, 2}, {"beuler", 1.0, 1}, {"theta", 0.7, 1}}) {
        SCOPED_TRACE(name);
        const auto tab = rwd::theta_tableau(name, theta);
        EXPECT_EQ(tab.name, name);
        EXPECT_EQ(tab.order, order);
        EXPECT_EQ(tab.embedded_order, 0);
        EXPECT_TRUE(tab.b_err.empty());
        expect_rows_sum_to_nodes(tab);
        expect_order_conditions(tab, tab.b, trees, order, 1e-15, "propagated");
        EXPECT_TRUE(breaks_order(tab, tab.b, trees, order + 1));
        expect_a_stable(tab);
    }
    // R(∞) = 1 − 1/θ: the trapezoidal rule flips the sign of stiff components without damping them; backward Euler
    // removes them.
    EXPECT_NEAR(stability_function(rwd::theta_tableau("cn", 0.5), -1e8).real(), -1.0, 1e-6);
    EXPECT_NEAR(std::abs(stability_function(rwd::theta_tableau("beuler", 1.0), -1e8)), 0.0, 1e-6);
}
