// A network as a native vector field dy/dt = net(t, y; p): the state is the batch, one row of sizes[0] entries per
// sample, and the field's callbacks run the network's evaluator for that batch without leaving native code.
#include "core/guard.hpp"
#include "nn/nn.hpp"

namespace {

rwd::network_evaluator& evaluator_of(void* user) { return *static_cast<rwd::network_evaluator*>(user); }

// The field has no context of its own to report into: a failure is kept as the thread's last error, and the
// time stepper reports the failed callback, its time and step.
int32_t network_f(void* user, double t, const double* y, const double* p, double* dydt) {
    return rwd::guarded(nullptr, [&] { evaluator_of(user).forward(t, y, p, dydt); });
}

int32_t network_vjp(void* user, double t, const double* y, const double* p, const double* w, double* w_dy,
                    double* w_dp) {
    return rwd::guarded(nullptr, [&] { evaluator_of(user).vjp(t, y, p, w, w_dy, w_dp); });
}

int32_t network_jvp(void* user, double t, const double* y, const double* p, const double* v, double* jv) {
    return rwd::guarded(nullptr, [&] {
        auto& evaluator = evaluator_of(user);
        const double* v_p = v + evaluator.batch() * evaluator.net().inputs();  // v = (v_y, v_p)
        evaluator.jvp(t, y, p, v, v_p, jv);
    });
}

}  // namespace

extern "C" {

rwd_status rwd_nn_field_create(rwd_nn* nn, int64_t batch, rwd_field** out) {
    return rwd::guarded(nn != nullptr ? nn->ctx : nullptr, [&] {
        auto& net = rwd::deref(nn, "nn");
        rwd::deref(out, "out") = nullptr;
        const int64_t layers = static_cast<int64_t>(net.network.layers().size());
        const int64_t inputs = net.network.inputs(), outputs = net.network.outputs();
        rwd::require(inputs == outputs, RWD_ERR_ARGUMENT,
                     "a network is a vector field only when it has as many outputs as inputs: sizes[0] = ", inputs,
                     " but sizes[", layers, "] = ", outputs,
                     net.network.layers().front().time_input() ? " (the time column does not count)" : "");
        auto& evaluator = rwd::evaluator_for(net, batch);
        const rwd_status status = rwd_field_create(net.ctx, batch * inputs, net.network.parameter_count(), network_f,
                                                   network_vjp, network_jvp, &evaluator, out);
        rwd::require(status == RWD_OK, status, "the network's vector field could not be created");
    });
}

}
