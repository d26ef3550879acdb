/* rewind/rewind.h — umbrella header of librewind's C ABI. */
#ifndef REWIND_REWIND_H
#define REWIND_REWIND_H

#include "rewind/status.h"
#include "rewind/context.h"
#include "rewind/vec.h"
#include "rewind/field.h"
#include "rewind/ts.h"
#include "rewind/schedule.h"
#include "rewind/nn.h"

#endif
