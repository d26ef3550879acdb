// Every tableau satisfies the Runge–Kutta order conditions (Butcher's rooted trees) of its stated order, and
// its embedded solution those of the embedded order: this checks every coefficient, not just convergence.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

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
        for (int i = 0; i < tab.stages(); ++i) {
            double row = 0.0;
            for (int j = 0; j < tab.stages(); ++j) row += tab.a_at(i, j);
            EXPECT_NEAR(row, tab.c[static_cast<size_t>(i)], 1e-14) << "row " << i;
        }
        bool next_order_fails = false;
        for (size_t t = 0; t < trees.size(); ++t) {
            const double r = residual(tab, tab.b, trees, static_cast<int>(t));
            // 5e-14: tsit5's coefficients are published as 16-digit decimals.
            if (trees[t].order <= tab.order) EXPECT_NEAR(r, 0.0, 5e-14) << "tree " << t << " of order " << trees[t].order;
            if (trees[t].order == tab.order + 1) next_order_fails = next_order_fails || std::fabs(r) > 1e-10;
        }
        EXPECT_TRUE(next_order_fails) << "the tableau is of higher order than stated";
        if (tab.embedded_order == 0) continue;
        std::vector<double> embedded(tab.b.size());
        for (size_t i = 0; i < embedded.size(); ++i) embedded[i] = tab.b[i] - tab.b_err[i];
        for (size_t t = 0; t < trees.size(); ++t)
            if (trees[t].order <= tab.embedded_order)
                EXPECT_NEAR(residual(tab, embedded, trees, static_cast<int>(t)), 0.0, 5e-14)
                    << "embedded, tree " << t << " of order " << trees[t].order;
    }
}
