/* rewind/schedule.h — checkpoint schedules as pure functions of (steps, checkpoints): what the forward solve keeps
   and what the reverse pass stores, restores, recomputes and reverses. Printable and testable on their own. */
#ifndef REWIND_SCHEDULE_H
#define REWIND_SCHEDULE_H

#include "rewind/status.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    RWD_ACTION_FORWARD = 0, /* the forward solve takes steps [step, to)                                    */
    RWD_ACTION_STORE = 1,   /* keep the current state, the state at `step`, as a checkpoint               */
    RWD_ACTION_RESTORE = 2, /* make checkpoint `step` the current state                                    */
    RWD_ACTION_ADVANCE = 3, /* recompute steps [step, to) from the current state (recomputed steps)        */
    RWD_ACTION_REVERSE = 4, /* adjoint of step `step`; `to` = 1 if its stages are recomputed first, 0 if kept */
    RWD_ACTION_FREE = 5     /* drop checkpoint `step`                                                     */
};

typedef struct rwd_schedule_action {
    int32_t kind;
    int32_t reserved;
    int64_t step;
    int64_t to;
} rwd_schedule_action;

typedef struct rwd_schedule_summary {
    int64_t steps;                    /* N                                                                  */
    int64_t checkpoints;              /* c: states the schedule may hold at once (including y0)             */
    int64_t recomputed_steps;         /* steps taken again in one reverse pass (advances + stage recomputes) */
    int64_t optimal_recomputed_steps; /* Griewank–Walther minimum r N - C(c + r, c + 1) for (N, c)          */
    int64_t repetitions;              /* r: the smallest integer with C(c + r, c) >= N                       */
    int64_t peak_checkpoints;         /* most checkpoint states held at once                                 */
} rwd_schedule_summary;

/* type: "store-all", "solution-only" (checkpoints ignored), "binomial" (offline, N known in advance),
   "online-binomial" (placement without knowing N). Writes the summary and, when actions is not NULL, up to capacity
   actions; *count receives the number of actions of the whole plan (call with actions = NULL to size the buffer). */
RWD_EXPORT rwd_status rwd_schedule_plan(const char* type, int64_t steps, int64_t checkpoints,
                                        rwd_schedule_summary* summary, rwd_schedule_action* actions,
                                        int64_t capacity, int64_t* count);

#ifdef __cplusplus
}
#endif

#endif
