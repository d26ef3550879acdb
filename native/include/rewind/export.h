/* rewind/export.h — RWD_EXPORT marks the C ABI; everything else in librewind has hidden visibility. */
#ifndef REWIND_EXPORT_H
#define REWIND_EXPORT_H

#if defined(_WIN32)
#  if defined(REWIND_BUILDING)
#    define RWD_EXPORT __declspec(dllexport)
#  else
#    define RWD_EXPORT __declspec(dllimport)
#  endif
#else
#  define RWD_EXPORT __attribute__((visibility("default")))
#endif

#endif
