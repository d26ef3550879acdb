// "multilevel": checkpoints in RAM and in files under a directory the caller names, for runs too long for RAM.
// Placement is binomial over both levels; the forward solve's checkpoints (held longest) go to disk first, the
// reverse pass's own ones to RAM first. Files are removed when released, on error, and when the trajectory goes.
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <string>

#include "core/error.hpp"
#include "trajectory/checkpointed.hpp"

#if defined(_WIN32)
#include <process.h>
#define rwd_getpid _getpid
#else
#include <unistd.h>
#define rwd_getpid getpid
#endif

namespace rwd {
namespace {

std::atomic<int64_t> next_store_id{0};

class file {
public:
    file(const std::string& path, const char* mode) : f_(std::fopen(path.c_str(), mode)) {}
    ~file() {
        if (f_ != nullptr) std::fclose(f_);
    }
    file(const file&) = delete;
    file& operator=(const file&) = delete;
    std::FILE* get() const { return f_; }
    // Closes now, so that a failure to flush is seen; returns whether everything reached the file.
    bool close() {
        const bool ok = std::fflush(f_) == 0 && std::ferror(f_) == 0;
        const bool closed = std::fclose(f_) == 0;
        f_ = nullptr;
        return ok && closed;
    }

private:
    std::FILE* f_;
};

class disk_store final : public checkpoint_store {
public:
    disk_store(int64_t ram_slots, int64_t disk_slots, std::string directory)
        : ram_slots_(ram_slots), disk_slots_(disk_slots), directory_(std::move(directory)),
          prefix_(directory_ + "/rewind-" + std::to_string(rwd_getpid()) + "-" + std::to_string(next_store_id++) + "-") {
        require(!directory_.empty(), RWD_ERR_ARGUMENT, "multilevel checkpointing needs a directory for its files");
        const std::string probe = prefix_ + "probe";
        file f(probe, "wb");
        if (f.get() == nullptr)
            fail(RWD_ERR_IO, "the checkpoint directory '", directory_, "' cannot be written: ", std::strerror(errno));
        f.close();
        std::remove(probe.c_str());
    }

    ~disk_store() override { clear(); }

    void clear() override {
        for (const auto& [step, path] : files_) std::remove(path.c_str());
        files_.clear();
        ram_->clear();
        in_ram_.clear();
        disk_bytes_ = 0;
    }

    void put(int64_t step, const rwd_vec& state, bool forward) override {
        remove(step);
        const bool ram_free = static_cast<int64_t>(in_ram_.size()) < ram_slots_;
        const bool disk_free = static_cast<int64_t>(files_.size()) < disk_slots_;
        require(ram_free || disk_free, RWD_ERR_INTERNAL, "no checkpoint slot left for step ", step);
        if ((forward && disk_free) || !ram_free) {
            write(step, state);
        } else {
            ram_->put(step, state, forward);
            in_ram_.insert(step);
        }
    }

    void get(int64_t step, rwd_vec& state) override {
        if (in_ram_.count(step) == 1) {
            ram_->get(step, state);
            return;
        }
        auto it = files_.find(step);
        require(it != files_.end(), RWD_ERR_INTERNAL, "no checkpoint of step ", step);
        file f(it->second, "rb");
        double* data = state.ops->host(&state);
        if (f.get() == nullptr || std::fread(data, sizeof(double), static_cast<size_t>(state.n), f.get()) !=
                                      static_cast<size_t>(state.n))
            fail(RWD_ERR_IO, "reading the checkpoint of step ", step, " from ", it->second, " failed: ",
                 std::strerror(errno));
    }

    void remove(int64_t step) override {
        if (in_ram_.erase(step) == 1) ram_->remove(step);
        if (auto it = files_.find(step); it != files_.end()) {
            std::remove(it->second.c_str());
            disk_bytes_ -= bytes_per_file_;
            files_.erase(it);
        }
    }

    int64_t ram_bytes() const override { return ram_->ram_bytes(); }
    int64_t disk_bytes() const override { return disk_bytes_; }

private:
    void write(int64_t step, const rwd_vec& state) {
        const std::string path = prefix_ + std::to_string(step) + ".ckpt";
        const double* data = state.ops->host(const_cast<rwd_vec*>(&state));
        file f(path, "wb");
        bool ok = f.get() != nullptr &&
                  std::fwrite(data, sizeof(double), static_cast<size_t>(state.n), f.get()) == static_cast<size_t>(state.n);
        const int error = errno;
        ok = f.get() != nullptr && f.close() && ok;
        if (!ok) {
            std::remove(path.c_str());
            fail(RWD_ERR_IO, "writing the checkpoint of step ", step, " to ", path, " failed: ",
                 std::strerror(error != 0 ? error : errno));
        }
        files_.emplace(step, path);
        bytes_per_file_ = vec_bytes(state);
        disk_bytes_ += bytes_per_file_;
    }

    int64_t ram_slots_;
    int64_t disk_slots_;
    std::string directory_;
    std::string prefix_;
    std::unique_ptr<checkpoint_store> ram_ = make_ram_store();  // the RAM level
    std::set<int64_t> in_ram_;
    std::map<int64_t, std::string> files_;
    int64_t disk_bytes_ = 0;
    int64_t bytes_per_file_ = 0;
};

}  // namespace

std::unique_ptr<trajectory> make_multilevel(int64_t ram_checkpoints, int64_t disk_checkpoints,
                                            const std::string& directory, int64_t planned_steps) {
    return make_checkpointed(make_binomial_placement(ram_checkpoints + disk_checkpoints, planned_steps),
                             std::make_unique<disk_store>(ram_checkpoints, disk_checkpoints, directory));
}

}  // namespace rwd
