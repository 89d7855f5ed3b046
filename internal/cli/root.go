package cli

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"
)

// NewRootCmd builds the byline command tree. Run with no subcommand it opens
// the interface.
func NewRootCmd(f *Factory) *cobra.Command {
	var color string
	var verbose bool
	root := &cobra.Command{
		Use:   "byline",
		Short: "A terminal news reader: full articles, quotes set apart, pipe-friendly",
		Long: `byline pulls stories from RSS, Atom and JSON feeds, shows the full article with its
quotes set apart, and pipes any article as clean Markdown or text to other tools.

Run byline with no arguments for the interface (in a pipe, it prints byline list).`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          noArgs,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if err := f.IO.SetColorMode(color); err != nil {
				return &UsageError{Err: err}
			}
			setLogging(f, verbose)
			return f.IO.SetTheme(f.Config.Theme)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if !f.IO.IsStdoutTTY() {
				// byline | head: in a pipe, the interface's list is the
				// story list in its pipe format.
				return listRun(cmd, &ListOptions{F: f})
			}
			return runTUI(cmd.Context(), f)
		},
	}
	root.PersistentFlags().StringVar(&color, "color", "auto", "colour output: auto, always or never")
	root.PersistentFlags().BoolVarP(&verbose, "verbose", "v", false, "log what byline could not do on the side (an article not cached, say) to stderr")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &UsageError{Err: fmt.Errorf("%w (see %s --help)", err, cmd.CommandPath())}
	})
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(
		NewCmdAdd(f, nil), NewCmdRemove(f, nil), NewCmdFeeds(f, nil),
		NewCmdImport(f, nil), NewCmdExport(f, nil), NewCmdRefresh(f, nil),
		NewCmdList(f, nil), NewCmdMark(f, nil), NewCmdShow(f, nil), NewCmdRead(f, nil),
		NewCmdConfig(f), NewCmdVersion(f),
	)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	return root
}

// setLogging routes log/slog records: to stderr with --verbose, else
// nowhere, so that no library's log line lands between a command's output.
// (The interface sends them to its log file while it runs: ui.Run.) The
// text handler quotes any value holding control characters, so a server's
// words in an error cannot reach the terminal raw.
func setLogging(f *Factory, verbose bool) {
	h := slog.DiscardHandler
	if verbose {
		h = slog.NewTextHandler(f.IO.ErrOut, &slog.HandlerOptions{Level: slog.LevelInfo})
	}
	slog.SetDefault(slog.New(h))
}

// Execute runs the root command with args.
func Execute(ctx context.Context, f *Factory, args []string) error {
	root := NewRootCmd(f)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err != nil && strings.HasPrefix(err.Error(), "unknown command") {
		return &UsageError{Err: fmt.Errorf("%s (see byline --help)", firstLine(err.Error()))}
	}
	return err
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf("%s takes no arguments, got %q (see %s --help)", cmd.CommandPath(), args[0], cmd.CommandPath())
	}
	return nil
}

func minArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return usageErrorf("%s needs %s (see %s --help)", cmd.CommandPath(), what, cmd.CommandPath())
		}
		return nil
	}
}

func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageErrorf("%s needs exactly %s (see %s --help)", cmd.CommandPath(), what, cmd.CommandPath())
		}
		return nil
	}
}
