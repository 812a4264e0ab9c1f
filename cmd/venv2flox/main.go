// Command venv2flox moves Python projects from hand-made virtual
// environments to Flox environments. See README.md.
package main

import "os"

func main() {
	os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
}
