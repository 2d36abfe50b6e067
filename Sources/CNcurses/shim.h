#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>
#include <langinfo.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <ncursesw/curses.h>

static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline FILE *cn_stdout(void) { return stdout; }
static inline FILE *cn_stdin(void) { return stdin; }
static inline int cn_lines(void) { return LINES; }
static inline int cn_cols(void) { return COLS; }
static inline int cn_colors(void) { return COLORS; }
static inline int cn_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t cn_a_bold(void) { return A_BOLD; }
static inline attr_t cn_a_reverse(void) { return A_REVERSE; }
static inline attr_t cn_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cn_a_dim(void) { return A_DIM; }
static inline attr_t cn_a_normal(void) { return A_NORMAL; }
static inline int cn_key_f(int n) { return KEY_F(n); }
static inline int cn_wcwidth(wchar_t c) { return wcwidth(c); }
static inline int cn_color_pair(int n) { return COLOR_PAIR(n); }

/* Mouse masks are macros built from macros: Swift cannot import them. */
static inline mmask_t cn_mouse_mask(void) {
    return BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON4_PRESSED | BUTTON5_PRESSED;
}
static inline mmask_t cn_mask_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t cn_mask_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t cn_mask_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t cn_mask_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t cn_mask_button5_pressed(void) { return BUTTON5_PRESSED; }
static inline int cn_mouse_is_click(mmask_t b) { return (b & (BUTTON1_CLICKED | BUTTON1_PRESSED)) != 0; }
static inline int cn_mouse_is_wheel_up(mmask_t b) { return (b & BUTTON4_PRESSED) != 0; }
static inline int cn_mouse_is_wheel_down(mmask_t b) { return (b & BUTTON5_PRESSED) != 0; }

/* True when the current LC_CTYPE encodes UTF-8. */
static inline int cn_locale_is_utf8(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs != 0 && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

/* The terminal size from TIOCGWINSZ (ioctl is variadic, so Swift cannot call it). Returns 0 on success. */
static inline int cn_winsize(int fd, int *rows, int *cols) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return -1;
    *rows = ws.ws_row;
    *cols = ws.ws_col;
    return 0;
}

/* Draws one wide character string with attributes and colour pair at (y, x). */
static inline int cn_put(int y, int x, const wchar_t *s, int n, attr_t attrs, int pair) {
    attr_set(attrs, (short)pair, 0);
    return mvaddnwstr(y, x, s, n);
}
#endif
