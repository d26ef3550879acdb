#include <sstream>

#include "core/error.hpp"
#include "ts/rk_tableau.hpp"

namespace rwd {
namespace {

std::vector<double> difference(const std::vector<double>& x, const std::vector<double>& y) {
    std::vector<double> d(x.size());
    for (size_t i = 0; i < x.size(); ++i) d[i] = x[i] - y[i];
    return d;
}

std::vector<rk_tableau> build() {
    std::vector<rk_tableau> t;
    t.push_back({"euler", 1, 0, {0.0}, {0.0}, {1.0}, {}});
    t.push_back({"midpoint", 2, 0, {0.0, 0.5}, {0, 0, 0.5, 0}, {0.0, 1.0}, {}});
    // Heun's method with explicit Euler embedded (Heun–Euler 2(1)).
    t.push_back({"heun", 2, 1, {0.0, 1.0}, {0, 0, 1, 0}, {0.5, 0.5}, difference({0.5, 0.5}, {1.0, 0.0})});
    t.push_back({"ralston3", 3, 0, {0.0, 0.5, 0.75}, {0, 0, 0, 0.5, 0, 0, 0, 0.75, 0}, {2.0 / 9, 1.0 / 3, 4.0 / 9}, {}});
    t.push_back({"rk4", 4, 0, {0.0, 0.5, 0.5, 1.0},
                 {0, 0, 0, 0, 0.5, 0, 0, 0, 0, 0.5, 0, 0, 0, 0, 1, 0},
                 {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6}, {}});
    // Bogacki–Shampine 3(2), first same as last.
    t.push_back({"bosh3", 3, 2, {0.0, 0.5, 0.75, 1.0},
                 {0, 0, 0, 0, 0.5, 0, 0, 0, 0, 0.75, 0, 0, 2.0 / 9, 1.0 / 3, 4.0 / 9, 0},
                 {2.0 / 9, 1.0 / 3, 4.0 / 9, 0.0},
                 difference({2.0 / 9, 1.0 / 3, 4.0 / 9, 0.0}, {7.0 / 24, 1.0 / 4, 1.0 / 3, 1.0 / 8})});
    // Dormand–Prince 5(4), first same as last.
    {
        const std::vector<double> b = {35.0 / 384, 0.0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0.0};
        const std::vector<double> b4 = {5179.0 / 57600,     0.0,           7571.0 / 16695, 393.0 / 640,
                                        -92097.0 / 339200, 187.0 / 2100, 1.0 / 40};
        std::vector<double> a(49, 0.0);
        const double rows[7][6] = {
            {0, 0, 0, 0, 0, 0},
            {1.0 / 5, 0, 0, 0, 0, 0},
            {3.0 / 40, 9.0 / 40, 0, 0, 0, 0},
            {44.0 / 45, -56.0 / 15, 32.0 / 9, 0, 0, 0},
            {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729, 0, 0},
            {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656, 0},
            {35.0 / 384, 0.0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84},
        };
        for (int i = 0; i < 7; ++i)
            for (int j = 0; j < 6; ++j) a[static_cast<size_t>(i * 7 + j)] = rows[i][j];
        t.push_back({"dopri5", 5, 4, {0.0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1.0, 1.0}, a, b, difference(b, b4)});
    }
    // Tsitouras 5(4) (Ch. Tsitouras, Comput. Math. Appl. 62 (2011) 770–775), first same as last.
    {
        std::vector<double> a(49, 0.0);
        const double rows[7][6] = {
            {0, 0, 0, 0, 0, 0},
            {0.161, 0, 0, 0, 0, 0},
            {-0.008480655492356989, 0.335480655492357, 0, 0, 0, 0},
            {2.897153057105493, -6.359448489975075, 4.3622954328695815, 0, 0, 0},
            {5.325864828439257, -11.748883564062828, 7.4955393428898365, -0.09249506636175525, 0, 0},
            {5.86145544294642, -12.92096931784711, 8.159367898576159, -0.071584973281401, -0.028269050394068383, 0},
            {0.09646076681806523, 0.01, 0.4798896504144996, 1.379008574103742, -3.290069515436081,
             2.324710524099774},
        };
        for (int i = 0; i < 7; ++i)
            for (int j = 0; j < 6; ++j) a[static_cast<size_t>(i * 7 + j)] = rows[i][j];
        std::vector<double> b(rows[6], rows[6] + 6);
        b.push_back(0.0);
        const std::vector<double> b_err = {0.00178001105222577714, 0.0008164344596567469, -0.007880878010261995,
                                           0.1447110071732629,     -0.5823571654525552,   0.45808210592918697,
                                           -1.0 / 66};
        t.push_back({"tsit5", 5, 4, {0.0, 0.161, 0.327, 0.9, 0.9800255409045097, 1.0, 1.0}, a, b, b_err});
    }
    return t;
}

}  // namespace

stage_layout layout_stages(const rk_tableau& tab) {
    const int s = tab.stages();
    stage_layout layout{std::vector<bool>(static_cast<size_t>(s), false), std::vector<int>(static_cast<size_t>(s), -1),
                        1};
    for (int i = s - 1; i >= 0; --i) {
        bool used = tab.b[static_cast<size_t>(i)] != 0.0;
        for (int j = i + 1; j < s; ++j)
            used = used || (layout.needed[static_cast<size_t>(j)] && tab.a_at(j, i) != 0.0);
        layout.needed[static_cast<size_t>(i)] = used;
    }
    for (int i = 0; i < s; ++i)
        if (layout.needed[static_cast<size_t>(i)])
            layout.slot[static_cast<size_t>(i)] = (i == 0 && tab.a_at(0, 0) == 0.0) ? 0 : layout.kept++;
    return layout;
}

const std::vector<rk_tableau>& rk_tableaus() {
    static const std::vector<rk_tableau> all = build();
    return all;
}

const rk_tableau& rk_tableau_named(const std::string& name) {
    std::ostringstream known;
    for (const auto& t : rk_tableaus()) {
        if (t.name == name) return t;
        known << (known.tellp() > 0 ? ", " : "") << t.name;
    }
    fail(RWD_ERR_UNKNOWN_NAME, "unknown rk method '", name, "'; available: ", known.str());
}

}  // namespace rwd
