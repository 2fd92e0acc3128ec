/* payload_shell_int.h - the command injection detector's files:
 * payload_shell.c (separators, substitutions, the value's lead),
 * payload_shell_cmd.c (the command word after them), payload_shellw.c (how
 * the shell spells a word, and its grammar: here-strings, interpreters
 * given code, cmd.exe's FOR /F and CALL), payload_shellc.c (a whole
 * value that is a command line). */
#ifndef SW_PAYLOAD_SHELL_INT_H
#define SW_PAYLOAD_SHELL_INT_H

#include <stddef.h>
#include <stdint.h>

/* s[i..i+3) is "<<<": is it a here-string fed to a command, the command
 * line starting after a separator or a substitution ("sh<<<id",
 * "$(tr A-Z a-z<<<ID)"), or led by an interpreter or a variable
 * ("$SHELL<<<'env'") at the value's start? */
int payload_shellw_herestring(const char *s, size_t n, size_t i);

/* At p, an interpreter given the switch that runs its next argument as
 * code, and that argument quoted or expanded: python -c '...',
 * node -e "...", php -r '...', lua -e '...'. */
int payload_shellw_interp_code(const char *s, size_t n, size_t p);

/* pct: the value holds a '%'; slash: a '/' and one of , ; = (what
 * each form needs; without them it is not looked for).
 * cmd.exe grammar in the lower-cased value: a FOR /F loop that runs a
 * command and then its output, CALL of a %variable% (set x=who&&call
 * %x%ami), cmd with ',' or ';' for the blank before /c, a substring
 * expansion %NAME:~a,b% as (a piece of) a command word. Returns a score
 * and the reason in *why, or 0. */
int payload_shellw_win_grammar(const char *lo, size_t n, int pct, int slash, const char **why);

/* At p of the lower-cased value, an interpreter named with the switch
 * that makes it run the next words: cmd /c, powershell [-nop ...] -enc,
 * bash -c; something must follow. */
int payload_shellw_interpreter_run(const char *lo, size_t n, size_t p);
/* the word at q after a run switch is a sentence's ("sh -c is used to",
 * "-c option", "not found") */
int payload_shellw_run_prose(const char *lo, size_t n, size_t q);

/* payload_shellw.c: the command words as the shell reads them (quotes
 * inside a word, c\\at, $@, $(), ${x}, who``ami, $'\\x69d', w^h^o vanish)
 * into d, its length or 0 if nothing changed; the length of an IFS
 * reference at lo[i] ($ifs, ${ifs}, ${ifs%??}, with a "$9" after), or 0 */
size_t payload_shellw_unobfuscate(const char *s, size_t n, char *d);
size_t payload_shellw_ifs_ref(const char *lo, size_t n, size_t i);

/* payload_shellw.c (marks: the value holds '$' or a quote, without which
 * the interpolation and string-break forms are not looked for): PHP
 * code where an eval-based injection puts it:
 * {${f(...)}}, ${@f(...)}, '.f(...).', ;print(...) opening the value; a
 * score and the reason in *why, or 0 */
int payload_shellw_php_eval(const char *lo, size_t n, int marks, const char **why);

/* payload_shellt.c: the command word lists; is the word w (NUL-terminated)
 * on one: strong, weak (as written: Unix commands are lower-case), win
 * (lower-cased), unmistakable, interpreter, bare (harm with no argument),
 * wrapper (runs the command after it)? */
enum { PAYLOAD_SHELL_STRONG, PAYLOAD_SHELL_WEAK, PAYLOAD_SHELL_WIN, PAYLOAD_SHELL_UNMISTAKABLE,
       PAYLOAD_SHELL_INTERP, PAYLOAD_SHELL_BARE, PAYLOAD_SHELL_WRAPPER, PAYLOAD_SHELL__LISTS };
int payload_shellt_listed(const char *w, int list);
/* the same for the l bytes at w (no NUL needed) */
int payload_shellt_listed_n(const char *w, size_t l, int list);

/* payload_shellt.c: each list by first byte: the words starting with byte
 * b are word[from[b] .. to[b]), in list order, len their lengths */
#define PAYLOAD_SHELLT_MAX 128
struct payload_shellt_ix {
	uint8_t from[256], to[256];
	uint8_t len[PAYLOAD_SHELLT_MAX];
	const char *word[PAYLOAD_SHELLT_MAX];
};
extern struct payload_shellt_ix payload_shellt_ix[PAYLOAD_SHELL__LISTS];

/* payload_shell_cmd.c: a command at p after a separator; a score, 0 if
 * none. lead: bit 0, the separator opened the value (";id", "| dir"), as
 * a payload written to follow whatever the application puts before it
 * does; PAYLOAD_SHELL_LEAD_WIN, only Windows' command words count;
 * PAYLOAD_SHELL_LEAD_TICK, the value is what a pair of backticks holds,
 * where Markdown writes a command it names ("similar to `man -S`."): a
 * word no list holds does not count there (payload_shellc_unlisted);
 * PAYLOAD_SHELL_LEAD_BTICK, the separator is a backtick: no English
 * command word alone, no Windows word with its verb */
#define PAYLOAD_SHELL_LEAD_WIN 2
#define PAYLOAD_SHELL_LEAD_TICK 4
#define PAYLOAD_SHELL_LEAD_BTICK 8
int payload_shell_command_at(const char *s, size_t n, size_t p, int lead);

/* payload_shell.c: word tests, for payload_shellc.c and payload_shellw.c */
int payload_shell_word_end(int c);
int payload_shell_net_verb(const char *s, size_t n, size_t p);
int payload_shell_hash_end(const char *s, size_t n, size_t p);

/* payload_shellw.c: reg's verbs (reg query); ip's objects (ip a); a
 * later argument naming a file under a system directory (or, with opt,
 * an option) */
int payload_shellw_reg_verb(const char *s, size_t n, size_t p);
int payload_shellw_win_verb(const char *w, size_t l, const char *s, size_t n, size_t p);
int payload_shellw_ip_object(const char *s, size_t n, size_t p);
int payload_shellw_later_path_arg(const char *s, size_t n, size_t p, int opt);

/* payload_shellc.c: the whole value one command line ("uname -a", "cat
 * /etc/passwd", "net user"): a score, or 0 */
int payload_shellc_cmdline(const char *s, const char *lo, size_t n);

/* payload_shellc.c: what stands before a command at p (a subshell's "(",
 * redirections, exec/time/eval/command, '!', NAME=value): the command word's position, or p */
size_t payload_shellc_prefix(const char *s, size_t n, size_t p);
/* payload_shellc.c: net's arguments at p end in a switch that acts on an
 * account or a share (net user x y /add, net group x /domain) */
int payload_shellc_net_switch(const char *s, size_t n, size_t p);
/* payload_shellc.c: after a leading separator, a command word no list
 * holds, by its grammar (word.exe, a word given only short options) */
int payload_shellc_unlisted(const char *s, size_t n, size_t p);

/* payload_shellc.c: a probe word (id, whoami) opening the value, closed
 * by a separator or '#' ("whoami;", "id #"): a score, or 0 */
int payload_shellc_probe_closed(const char *s, size_t n);

/* payload_shellc.c: the interpreter s[p..p+l) runs a project's script
 * (python manage.py migrate, php artisan migrate) */
int payload_shellc_project_script(const char *s, size_t n, size_t p, size_t l);
/* payload_shell_cmd.c: the value opens with an address or a file's
 * name before its first separator ("127.0.0.1 && ", "a.txt; ") */
int payload_shell_address_lead(const char *s, size_t n);
/* the command word s[b..e) after a blank, given one or two plain
 * lower-case words to the value's end ("; useradd colors") */
int payload_shellc_english_tail(const char *s, size_t n, size_t b, size_t e);

/* payload_shellc.c: the whole value one option that runs a command or
 * writes or sends a system file (-oProxyCommand=..., --output=/var/www/..):
 * a score, or 0 */
int payload_shellc_arg_inject(const char *lo, size_t n);
/* payload_shellc.c: a call that runs a command, with blanks before its
 * '(' (os.system ('id')) or Python's subprocess given a probe or an
 * interpreter (subprocess.run (['id'])): 80 as the value's code, 50
 * inside prose; 0 if none */
int payload_shellc_code_call(const char *s, const char *lo, size_t n);
/* payload_shellc.c: a spreadsheet formula running a program by DDE */
int payload_shellc_dde(const char *lo, size_t n);

/* payload_shellw.c: a pipe at s[i] into an interpreter that runs what it
 * reads, after a segment that reads as a command: "echo aWQ=|base64 -d|sh";
 * win: the value was lower-cased for Windows' words, and a bare first word
 * of the segment must be one of them ("Java | Python | Ruby" is prose) */
int payload_shellw_piped_interp(const char *s, size_t n, size_t i, int win);

/* payload_shellw.c: the backtick at s[i] opens markdown's inline code in
 * prose; a pipe's reader at p is a filter with no file or expansion;
 * the $( at s[i] runs its output or one command word */
int payload_shellw_md_code(const char *s, size_t n, size_t i);
/* payload_shell_md.c: the backtick run at s[i] opens inline code around
 * one lone word in prose (the current value of `ps`.); the index of the
 * closing run's last byte, or 0 */
size_t payload_shell_md_pair(const char *s, size_t n, size_t i);
int payload_shellw_pipe_filter(const char *s, size_t n, size_t p);
/* payload_shell_md.c: the "<(" at s[i] is an argument of a shell line
 * quoted in a sentence that goes on after it; *end: where the chain of
 * substitutions it belongs to ends (the answer holds for all of them) */
int payload_shell_md_subst_prose(const char *s, size_t n, size_t i, size_t *end);
int payload_shellw_subst_word(const char *s, size_t n, size_t i, int cmd_pos);

/* payload_shell_sub.c: the value with the words the shell builds before
 * running them made: ${x:-cat} -> cat, `echo id` and $(printf '\151\144')
 * -> id, "w"'h'oami and ""whoami -> whoami. Into d (room for n bytes);
 * its length, or 0 if nothing changed. */
size_t payload_shell_sub_expand(const char *s, size_t n, char *d);
/* ... and whether it could change anything (a cheap test first) */
int payload_shell_sub_may(const char *s, const char *lo, size_t n);

/* payload_shell_code.c: code execution the collections carry beside
 * shell lines: %x(id) / qx{id}, PHP code running a command (<?php
 * system(..) ?>, <?=`..`?>, phpinfo() as the value), SSI directives
 * (<!--#printenv -->), a binary named by a '?' pattern (/b??/c?t): a
 * score and the reason in *why, or 0 */
int payload_shell_code(const char *s, const char *lo, size_t n, const char **why);

/* payload_shell_glob.c: a binary path spelt with [..] or '*' (or '?'
 * after a leading separator) naming a command: 1, else 0 */
int payload_shell_glob(const char *s, size_t n);

/* payload_shell_ps.c: PowerShell's Invoke-Expression (iex) given, in
 * parentheses, what a web client fetched or base64 decoded (in the
 * lower-cased value): 1, else 0 */
int payload_shell_ps_iex(const char *lo, size_t n);
/* ... and [System.Diagnostics.Process]::Start(..): 80 when it starts a
 * program, 50 for a web page or no argument, else 0 */
int payload_shell_ps_process(const char *lo, size_t n);
/* PowerShell running a command named at run time or a string as code
 * after a separator (&(gcm i*x) 'id', iex 'who'+'ami', sal x iex,
 * $env:ComSpec /c id): the reason, or NULL */
enum { PAYLOAD_PS_HAS_X = 1, PAYLOAD_PS_HAS_PAREN = 2, PAYLOAD_PS_HAS_DASH = 4, PAYLOAD_PS_HAS_ENV = 8 };
/* has: the PAYLOAD_PS_HAS_ bits of the bytes the value holds ('x', '(',
 * '-', '$' with ':'), which skip the reads that need them */
const char *payload_shell_ps_exec(const char *lo, size_t n, unsigned has);
/* payload_shell_run.c: at p a program that runs the command given it
 * (nice -n 19 id, script -qc sh, vim -c ':!sh', gdb -ex '!sh'): the
 * command's position, or p */
size_t payload_shell_run_prefix(const char *s, size_t n, size_t p);

/* payload_shell_lang.c: after "child_process" at p, a method of the
 * module called: ').exec(', '.execSync (' */
int payload_shell_child_call(const char *lo, size_t n, size_t p);
/* ... and code that runs a command in Python, PHP, Java as an eval-based
 * injection writes it (__import__('os').system, array_map('system', ..),
 * assert($_GET[c]), new ProcessBuilder("id")): a score and *why, or 0 */
int payload_shell_lang(const char *lo, size_t n, const char **why);

#endif
