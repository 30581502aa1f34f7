package local

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
)

// run executes one command through the interpreter (default /bin/sh -c) and
// returns its stdout and stderr without their trailing newlines. prev carries
// the last run's output, passed as PULUMI_COMMAND_STDOUT/STDERR unless
// addPreviousOutputInEnv is false.
func run(ctx context.Context, command string, in Exec, prev *Output) (string, string, error) {
	interp := in.Interpreter
	if len(interp) == 0 {
		interp = []string{"/bin/sh", "-c"}
	}
	cmd := exec.CommandContext(ctx, interp[0], append(append([]string{}, interp[1:]...), command)...)
	if in.Dir != nil {
		cmd.Dir = *in.Dir
	}
	cmd.Env = os.Environ()
	for k, v := range in.Environment {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	if prev != nil && (in.AddPreviousOutputInEnv == nil || *in.AddPreviousOutputInEnv) {
		cmd.Env = append(cmd.Env, "PULUMI_COMMAND_STDOUT="+prev.Stdout, "PULUMI_COMMAND_STDERR="+prev.Stderr)
	}
	if in.Stdin != nil {
		cmd.Stdin = strings.NewReader(*in.Stdin)
	}

	logging := "stdoutAndStderr"
	if in.Logging != nil {
		logging = *in.Logging
	}
	log := p.GetLogger(ctx)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = tee(&stdout, logging == "stdout" || logging == "stdoutAndStderr", log.Info)
	cmd.Stderr = tee(&stderr, logging == "stderr" || logging == "stdoutAndStderr", log.Info)

	err := cmd.Run()
	out := strings.TrimSuffix(stdout.String(), "\n")
	errOut := strings.TrimSuffix(stderr.String(), "\n")
	if err != nil {
		// Not the command text: it may hold secrets the engine would show in clear.
		return out, errOut, fmt.Errorf("the command failed (%w); its stderr:\n%s", err, errOut)
	}
	return out, errOut, nil
}

// tee keeps a stream's bytes and, when asked, forwards each write to the
// engine's log so long commands show progress.
func tee(buf *bytes.Buffer, forward bool, logf func(string)) io.Writer {
	if !forward {
		return buf
	}
	return io.MultiWriter(buf, writerFunc(func(b []byte) (int, error) {
		logf(strings.TrimRight(string(b), "\n"))
		return len(b), nil
	}))
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }
