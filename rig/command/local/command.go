// Package local is the command:local:Command resource: it runs a shell
// command on the machine that runs the engine when the resource is created,
// updated or deleted, and keeps its stdout and stderr as outputs.
package local

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi-go-provider/infer/types"
)

// Command has no state of its own: everything lives in Args and State.
type Command struct{}

// Exec holds how a command runs; shared by Command and the run function.
type Exec struct {
	Dir                    *string           `pulumi:"dir,optional"`
	Environment            map[string]string `pulumi:"environment,optional"`
	Interpreter            []string          `pulumi:"interpreter,optional"`
	Stdin                  *string           `pulumi:"stdin,optional"`
	AddPreviousOutputInEnv *bool             `pulumi:"addPreviousOutputInEnv,optional"`
	Logging                *string           `pulumi:"logging,optional"`
	AssetPaths             []string          `pulumi:"assetPaths,optional"`
	ArchivePaths           []string          `pulumi:"archivePaths,optional"`
}

// Output is what a run leaves behind. Assets and Archive stay empty: this
// build refuses assetPaths and archivePaths (see supported).
type Output struct {
	Stdout  string                          `pulumi:"stdout"`
	Stderr  string                          `pulumi:"stderr"`
	Assets  map[string]types.AssetOrArchive `pulumi:"assets,optional"`
	Archive *types.AssetOrArchive           `pulumi:"archive,optional"`
}

// Args mirror @pulumi/command 1.2.1's CommandArgs.
type Args struct {
	Create   *string `pulumi:"create,optional"`
	Update   *string `pulumi:"update,optional"`
	Delete   *string `pulumi:"delete,optional"`
	Triggers []any   `pulumi:"triggers,optional" provider:"replaceOnChanges"`
	Exec
}

// State is what the engine checkpoints: the inputs plus the last run's output.
type State struct {
	Args
	Output
}

func (c *Command) Annotate(a infer.Annotator) {
	a.SetToken("local", "Command")
	a.Describe(c, "Runs a command on the machine running Pulumi when the resource is created, updated or deleted.")
}

func (Command) Create(ctx context.Context, req infer.CreateRequest[Args]) (infer.CreateResponse[State], error) {
	in := req.Inputs
	if err := supported(in.Exec); err != nil {
		return infer.CreateResponse[State]{}, err
	}
	st := State{Args: in}
	id := req.Name
	if req.DryRun || in.Create == nil {
		return infer.CreateResponse[State]{ID: id, Output: st}, nil
	}
	var err error
	st.Stdout, st.Stderr, err = run(ctx, *in.Create, in.Exec, nil)
	return infer.CreateResponse[State]{ID: id, Output: st}, err
}

// Update runs `update`, or `create` again when there is no `update`, as
// @pulumi/command does. Changes to `triggers` replace instead (see Args).
func (Command) Update(ctx context.Context, req infer.UpdateRequest[Args, State]) (infer.UpdateResponse[State], error) {
	in := req.Inputs
	if err := supported(in.Exec); err != nil {
		return infer.UpdateResponse[State]{}, err
	}
	st := State{Args: in, Output: req.State.Output}
	cmd := in.Update
	if cmd == nil {
		cmd = in.Create
	}
	if req.DryRun || cmd == nil {
		return infer.UpdateResponse[State]{Output: st}, nil
	}
	var err error
	st.Stdout, st.Stderr, err = run(ctx, *cmd, in.Exec, &req.State.Output)
	return infer.UpdateResponse[State]{Output: st}, err
}

func (Command) Delete(ctx context.Context, req infer.DeleteRequest[State]) (infer.DeleteResponse, error) {
	if req.State.Delete == nil {
		return infer.DeleteResponse{}, nil
	}
	_, _, err := run(ctx, *req.State.Delete, req.State.Exec, &req.State.Output)
	return infer.DeleteResponse{}, err
}

// supported refuses the inputs this build does not implement, rather than
// silently ignoring them.
func supported(in Exec) error {
	if len(in.AssetPaths) > 0 || len(in.ArchivePaths) > 0 {
		return fmt.Errorf("assetPaths and archivePaths are not supported by this build of the command provider")
	}
	if in.Logging != nil {
		switch *in.Logging {
		case "stdout", "stderr", "stdoutAndStderr", "none":
		default:
			return fmt.Errorf("logging must be one of stdout, stderr, stdoutAndStderr, none; got %q", *in.Logging)
		}
	}
	return nil
}
