package local

import (
	"context"

	"github.com/pulumi/pulumi-go-provider/infer"
)

// Run is the command:local:run function: it runs a command while the program
// runs (previews included) and returns its output, as local.run does in
// @pulumi/command.
type Run struct{}

type RunArgs struct {
	Command string `pulumi:"command"`
	Exec
}

type RunResult struct {
	RunArgs
	Output
}

func (r *Run) Annotate(a infer.Annotator) {
	a.SetToken("local", "run")
	a.Describe(r, "Runs a command on the machine running Pulumi while the program runs, and returns its output.")
}

func (Run) Invoke(ctx context.Context, req infer.FunctionRequest[RunArgs]) (infer.FunctionResponse[RunResult], error) {
	in := req.Input
	res := RunResult{RunArgs: in}
	if err := supported(in.Exec); err != nil {
		return infer.FunctionResponse[RunResult]{}, err
	}
	var err error
	res.Stdout, res.Stderr, err = run(ctx, in.Command, in.Exec, nil)
	return infer.FunctionResponse[RunResult]{Output: res}, err
}
