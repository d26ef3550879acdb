// The boundary: every exported function body runs inside guarded(), so no C++ exception crosses the C ABI.
#pragma once

#include <new>
#include <string>

#include "core/context.hpp"
#include "core/error.hpp"

namespace rwd {

// Records message as the last error of ctx (when given) and of the calling thread; returns status.
rwd_status record_failure(rwd_context* ctx, rwd_status status, const char* message) noexcept;

template <class Body>
rwd_status guarded(rwd_context* ctx, Body&& body) noexcept {
    try {
        body();
        return RWD_OK;
    } catch (const error& e) {
        return record_failure(ctx, e.status(), e.what());
    } catch (const std::bad_alloc&) {
        return record_failure(ctx, RWD_ERR_ALLOC, "out of memory");
    } catch (const std::exception& e) {
        return record_failure(ctx, RWD_ERR_INTERNAL, e.what());
    } catch (...) {
        return record_failure(ctx, RWD_ERR_INTERNAL, "unknown exception");
    }
}

template <class T>
T& deref(T* object, const char* name) {
    if (object == nullptr) fail(RWD_ERR_ARGUMENT, name, " is NULL");
    return *object;
}

// A NUL-terminated name from the caller, as a string.
inline std::string text(const char* value, const char* name) {
    if (value == nullptr) fail(RWD_ERR_ARGUMENT, name, " is NULL");
    return value;
}

}  // namespace rwd
