package rewrite

// Temporary: each function moves to its own file as it is implemented.

func Markdown(ctx *Context, path string, src []byte) (Result, error) { return Result{New: src}, nil }
func RST(ctx *Context, path string, src []byte) (Result, error)      { return Result{New: src}, nil }
func GitHubWorkflow(ctx *Context, path string, src []byte) (Result, error) {
	return Result{New: src}, nil
}
func GitLabCI(ctx *Context, path string, src []byte) (Result, error)    { return Result{New: src}, nil }
func Jenkinsfile(ctx *Context, path string, src []byte) (Result, error) { return Result{New: src}, nil }
func CircleCI(ctx *Context, path string, src []byte) (Result, error)    { return Result{New: src}, nil }
func AzurePipelines(ctx *Context, path string, src []byte) (Result, error) {
	return Result{New: src}, nil
}
