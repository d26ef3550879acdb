// A time-stepping method: one implementation per file (rk.cpp, dirk.cpp), created by name through the registry.
// The driver in ts.cpp owns step-size control, output times and the trajectory; a method only knows how to take
// one step, and how to differentiate that step in reverse and forward mode.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "field/field.hpp"
#include "rewind/ts.h"

namespace rwd {

// Everything a step needs besides the state: the field, its parameters, counters, and where we are.
struct step_env {
    rwd_field* field;
    rwd_vec* p;
    rwd_ts_stats* stats;
    int64_t step;  // index of the step, for messages
};

// Settings of implicit methods (explicit ones ignore them), given before each solve.
struct implicit_options {
    double rtol = 1e-6;  // weights of Newton's convergence test: atol + rtol |y|
    double atol = 1e-9;
    double newton_tolerance = 0.01;
    int newton_max_iterations = 10;
    std::string linear_solver = "auto";
    double linear_tolerance = 1e-10;
    int gmres_restart = 30;
    // Forward-only solves may keep a Jacobian across steps; solves that keep a trajectory evaluate it at the start
    // of every step, so that a recomputed step repeats the forward's arithmetic exactly.
    bool reuse_jacobian_across_steps = false;
    double theta = 0.5;  // the "theta" method's θ
};

class ts_method {
public:
    virtual ~ts_method() = default;

    // Implicit methods solve stage equations; step doubling does not extrapolate them (it would cost stability).
    virtual bool implicit() const { return false; }
    virtual void configure(const implicit_options&) {}

    virtual int order() const = 0;
    // Order q of the embedded solution when the method has one (its error estimate is O(h^(q+1))), else 0:
    // adaptive solves then wrap the method in step doubling.
    virtual int embedded_order() const = 0;
    // Vectors a step keeps for its reverse pass: kept[0] is y_n, the rest are the method's stage states.
    virtual int kept_per_step() const = 0;

    // Allocates work vectors shaped like y (state) and p (parameters). Called before each solve.
    virtual void setup(const rwd_vec& y, const rwd_vec& p) = 0;
    // y_next = step of size h from (t, y). `current` says y is the driver's accepted state at t (so derivatives
    // evaluated there may be reused across rejected attempts). When err is given it receives the embedded error
    // estimate. When keep is given it receives kept_per_step() vectors for the trajectory. Returns false when an
    // implicit stage could not be solved (failure() says why); the driver then retries with a smaller step.
    virtual bool step(step_env& env, double t, double h, const rwd_vec& y, rwd_vec& y_next, rwd_vec* err,
                      rwd_vec* const* keep, bool current) = 0;
    virtual std::string failure() const { return {}; }
    // The last `current` step was accepted; y_next is now the current state.
    virtual void accept() = 0;

    // Reverse mode of one step: lambda (dL/dy_{n+1} on entry, dL/dy_n on exit) and mu += dL/dp contributions.
    virtual void adjoint_step(step_env& env, double t, double h, const rwd_vec* const* kept, rwd_vec& lambda,
                              rwd_vec& mu) = 0;
    // Forward mode of one step: dy (tangent of y_n on entry, of y_{n+1} on exit) along the parameter tangent dp.
    virtual void tlm_step(step_env& env, double t, double h, const rwd_vec* const* kept, rwd_vec& dy,
                          const rwd_vec& dp) = 0;
};

// Registry: ts type ("rk") + method name ("dopri5") -> implementation.
std::unique_ptr<ts_method> make_method(const std::string& type, const std::string& method);
std::vector<std::string> method_names(const std::string& type);
std::vector<std::string> type_names();

// Step doubling around a method without an embedded pair (doubling.cpp), with local extrapolation for explicit
// methods; the base must outlive it.
std::unique_ptr<ts_method> make_step_doubling(ts_method& base);

// Explicit Runge–Kutta (rk.cpp).
std::unique_ptr<ts_method> make_rk(const std::string& tableau);
std::vector<std::string> rk_tableau_names();

// Diagonally implicit Runge–Kutta (dirk.cpp): the θ-methods and the ESDIRK tableaus.
std::unique_ptr<ts_method> make_theta(const std::string& method);
std::vector<std::string> theta_method_names();
std::unique_ptr<ts_method> make_esdirk(const std::string& tableau);
std::vector<std::string> esdirk_tableau_names();

}  // namespace rwd
