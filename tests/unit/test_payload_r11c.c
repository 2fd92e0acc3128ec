/* test_payload_r11c.c - issue 20, command injection red team c (eleventh):
 * container, cloud and service tools given their verbs after a separator
 * (;docker ps, ;kubectl get secrets, ;systemctl stop firewalld), find's
 * -exec, an option whose value is a shell run with -c (rsync -e 'sh -c
 * id'), an editor's :shell, the command between the value's own token
 * repeated (1||id||1), PowerShell's call operator on a variable built from
 * strings, Start-Process of one program, the Env: drive listed; and what
 * stays quiet: the same tools in documentation, a fork bomb named in a
 * sentence, iex of one read-only cmdlet in a tutorial. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"

#include "tests/unit/payload_rt_table.h"

#define C PAYLOAD_CMDI
#define N PAYLOAD_NONE

/* a tool that takes a verb, the verb after it: the tool's grammar, not
 * an English word ("; docker colors" is no docker command line) */
static void test_tool_verbs(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{";docker ps", C},
		{";docker exec -it web sh", C},
		{"| podman images", C},
		{";kubectl get secrets", C},
		{"&& kubectl exec -it pod -- /bin/sh", C},
		{";kubectl get pods -A", C},
		{"; aws s3 ls", C},
		{";aws sts get-caller-identity", C},
		{"|gcloud auth print-access-token", C},
		{";az account get-access-token", C},
		{";crictl ps", C},
		{";systemctl stop firewalld", C},
		{"; ufw disable", C},
		{";setenforce 0", C},
		{";find . -exec whoami \\;", C},
		{"|find / -name x -execdir id \\;", C},
		{"Run docker ps to list containers", N},
		{"kubectl get pods -n kube-system", N},
		{"docker exec -it mycontainer bash", N},
		{"aws s3 ls s3://my-bucket --recursive", N},
		{"Use find . -name '*.log' -exec rm {} \\; to clean up", N},
		{"how to use kubectl get secrets", N},
		{"Tom; docker tutorial", N},
		{"; aws summit", N},
		{"&& kubectl apply -f deploy.yaml", N},
		{"|kubectl -n kube-system get secrets", C},
		{";kubectl --kubeconfig x get secrets", C},
		{";aws --region us-east-1 sts get-caller-identity", C},
		{";docker -H tcp://10.0.0.1:2375 ps", C},
		{"&& kubectl -n prod apply -f deploy.yaml", N},
		{"; docker --version", N},
		{";docker run --rm -v /:/mnt alpine chroot /mnt sh", C},
		{"|podman run --privileged -it alpine", C},
		{";kubectl config view --raw", C},
		{"&& docker run --rm app npm test", N},
		{"&& docker build -t app .", N},
		{"; gcloud config set project x", N},
		{"&& systemctl restart nginx", N},
	};
	rt_run_kill("tool verbs", C, t, sizeof(t) / sizeof(t[0]));
	static const char *const told[] = {"; docker colors", "| az pets"};
	rt_below_kill("tool english", told, sizeof(told) / sizeof(told[0]));
}

/* an option whose value is a shell told to run a command, an editor's
 * :shell, and the command between the value's own token said twice */
static void test_option_shells(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{";rsync -e 'sh -c id' x:y", C},
		{";git -c core.pager='sh -c id' log", C},
		{";man -P 'sh -c id' ls", C},
		{"|xargs -I{} sh -c 'id'", C},
		{";vi -c ':shell'", C},
		{";vim -c ':sh'", C},
		{";nsenter -t 1 -m -u -i -n sh", C},
		{";tar -cf /dev/null /dev/null --checkpoint=1 --checkpoint-action=exec=id", C},
		{";zip /tmp/x.zip /etc/hosts -T -TT 'sh #'", C},
		{";chattr -i /etc/passwd", C},
		{"tar --checkpoint=1000 -czf backup.tgz dir", N},
		{"zip -T archive.zip", N},
		{"1||id||1", C},
		{"abc|whoami|abc", C},
		{"vim -c ':set number' file", N},
		{"Type :shell in vi to get a shell", N},
		{"1||2||3", N},
		{"a|ls|b", N},
	};
	rt_run_kill("option shells", C, t, sizeof(t) / sizeof(t[0]));
}

/* PowerShell: & on a variable built from strings, Start-Process of a
 * program, the Env: drive listed */
static void test_powershell_more(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{";$x='ie'+'x';&$x 'whoami'", C},
		{";$c = 'who' + 'ami'; & $c", C},
		{";Start-Process calc", C},
		{"|saps notepad", C},
		{";Get-ChildItem Env:", C},
		{";gci env:", C},
		{";[char[]](105,101,120)-join''|%{&$_ whoami}", C},
		{"; & ([char[]](105,101,120) -join '') 'whoami'", C},
		{"[char[]](72,105,33) -join '' # prints Hi!", N},
		{"$s = [char[]](72,105) -join ''; Write-Host $s", N},
		{"$x = 'ie' + 'x'  # string concatenation example", N},
		{"Get-ChildItem Env: lists the variables", N},
		{"Start-Process notepad.exe opens Notepad", N},
	};
	rt_run_kill("powershell more", C, t, sizeof(t) / sizeof(t[0]));
}

/* read as prose or a tutorial: quiet or told, never killed */
static void test_prose_not_killed(void **st)
{
	(void)st;
	static const char *const b[] = {
		"The fork bomb :(){ :|:& };: will crash your shell, never run it",
		"What does :(){ :|:& };: do?",
		"Get-Help iex; iex \"Get-Date\"",
	};
	rt_below_kill("prose", b, sizeof(b) / sizeof(b[0]));
	static const struct rtcase t[] = {
		{":(){ :|:& };:", PAYLOAD__COUNT},
		{";iex \"Get-Content C:\\secret.txt\"", C},
		{";iex \"whoami\"", C},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int b0 = rt_best(t[i].in, 0, (int)t[i].want);
		if (b0 < 60)
			fprintf(stderr, "  FAIL still a kill: %s (%d)\n", t[i].in, b0);
		assert_true(b0 >= 60);
	}
}

/* a '+' between two like quotes joins strings and is not read again as a
 * blank (what kept 64 KiB of &("a"+"b") at 6.7x an ordinary value's CPU);
 * after bash's $'..' it is still a blank: the word is the command */
static void test_plus_between_quotes(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"'\n$'\\x69\\x64'+'", C},
		{"x\"%0A%0A%20$'\\167\\150\\157\\141\\155\\151'+\"", C},
		{"&(\"a\"+\"b\") &(\"a\"+\"b\")", N},
	};
	rt_run_kill("plus between quotes", C, t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tool_verbs),
		cmocka_unit_test(test_option_shells),
		cmocka_unit_test(test_powershell_more),
		cmocka_unit_test(test_prose_not_killed),
		cmocka_unit_test(test_plus_between_quotes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
