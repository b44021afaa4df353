// CCairo.h — the one door to cairo (2D drawing: PNG image surfaces, PDF and SVG surfaces).
// cairo reports errors through status codes, never longjmp, so Swift calls it directly;
// only Charts' CairoCanvas touches this module.
#ifndef CCAIRO_H
#define CCAIRO_H
#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#endif
