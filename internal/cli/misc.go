package cli

import (
	"fmt"

	"github.com/byline/byline/internal/config"
	"github.com/spf13/cobra"
)

// NewCmdVersion builds `byline version`.
func NewCmdVersion(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print byline's version",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprintf(f.IO.Out, "byline %s\n", config.Version)
			return err
		},
	}
}

// NewCmdConfig builds `byline config`: where the files are, and a sample.
func NewCmdConfig(f *Factory) *cobra.Command {
	var sample bool
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Show byline's file locations, or --sample for a documented config file",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if sample {
				_, err := fmt.Fprint(f.IO.Out, config.Sample)
				return err
			}
			p := f.Paths
			_, err := fmt.Fprintf(f.IO.Out, "config\t%s\nstore\t%s\ncache\t%s\nstate\t%s\n", p.ConfigFile(), p.StoreFile(), p.Cache, p.State)
			return err
		},
	}
	cmd.Flags().BoolVar(&sample, "sample", false, "print a config file documenting every setting and its default")
	return cmd
}
