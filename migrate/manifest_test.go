package migrate

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/venv2flox/venv2flox/detect"
)

// manifestSchemaPath is Flox's manifest schema, kept outside the repository
// (it is GPL-licensed reference data).
const manifestSchemaPath = "/work/shared/flox/manifest.schema.json"

var manifestSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	f, err := os.Open(manifestSchemaPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("manifest.schema.json", doc); err != nil {
		return nil, err
	}
	return c.Compile("manifest.schema.json")
})

// checkManifest parses a manifest with go-toml and validates it against
// Flox's JSON schema; it returns the parsed document.
func checkManifest(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("manifest does not parse: %v\n%s", err, data)
	}
	sch, err := manifestSchema()
	if os.IsNotExist(err) {
		t.Logf("schema not found at %s: skipping schema validation", manifestSchemaPath)
		return doc
	}
	if err != nil {
		t.Fatalf("loading schema: %v", err)
	}
	js, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("manifest fails the Flox schema: %v\n%s", err, data)
	}
	return doc
}

// get walks a parsed TOML document by keys.
func get(doc map[string]any, keys ...string) any {
	var cur any = doc
	for _, k := range keys {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[k]
	}
	return cur
}

func TestManifestLayout(t *testing.T) {
	plan := &Plan{
		EnvName: "shop",
		Packages: []Package{
			{ID: "python", PkgPath: "python312", Version: "3.12.4", Reason: Reason{Text: "python312 because .python-version:1 says 3.12.4"}},
			{ID: "gcc-unwrapped", PkgPath: "gcc-unwrapped", Outputs: []string{"lib"}, Systems: linuxSystems, Reason: Reason{Text: "numpy: C++ runtime"}},
			{ID: "cudatoolkit", PkgPath: "cudaPackages.cudatoolkit", Systems: linuxSystems, Priority: 6, Reason: Reason{Text: "torch\nneeds CUDA",
				Evidence: []detect.Evidence{{Path: "requirements.txt", Line: 3}, {Path: "requirements.txt", Line: 3}, {Path: "a.txt", Line: 1}, {Path: "b.txt", Line: 2}, {Path: "c.txt", Line: 3}}}},
		},
		Vars:    []Var{{Name: "UV_PYTHON_DOWNLOADS", Value: "never", Reason: Reason{Text: "no downloads"}}, {Name: "WEIRD.NAME", Value: `a "quoted" \ value`}},
		Hook:    "echo 'single' \"double\" \\backslash\n",
		Profile: buildProfile(),
		Unfree:  true,
	}
	data := plan.Manifest()
	doc := checkManifest(t, data)
	text := string(data)
	for _, want := range []string{
		"schema-version = \"1.10.0\"\n",
		"# python312 because .python-version:1 says 3.12.4\npython.pkg-path = \"python312\"\npython.version = \"3.12.4\"\n",
		"gcc-unwrapped.outputs = [\"lib\"]\ngcc-unwrapped.systems = [\"aarch64-linux\", \"x86_64-linux\"]\n",
		"cudatoolkit.pkg-path = \"cudaPackages.cudatoolkit\"\n",
		"# torch needs CUDA (requirements.txt:3, a.txt:1, b.txt:2)\n",
		"allow.unfree = true\n",
		"on-activate = '''\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("manifest lacks %q:\n%s", want, text)
		}
	}
	if got := get(doc, "hook", "on-activate"); got != plan.Hook {
		t.Errorf("hook round-trip = %q, want %q", got, plan.Hook)
	}
	if got := get(doc, "vars", "WEIRD.NAME"); got != `a "quoted" \ value` {
		t.Errorf("var round-trip = %q", got)
	}
	if got := get(doc, "install", "cudatoolkit", "priority"); got != int64(6) {
		t.Errorf("priority = %v", got)
	}
	if got := get(doc, "options", "systems"); len(got.([]any)) != 4 {
		t.Errorf("systems = %v, want the four Flox systems", got)
	}
	if get(doc, "profile", "fish") != profileFish || get(doc, "profile", "bash") != profilePOSIX {
		t.Errorf("profiles did not round-trip")
	}
}

// TestShortReason: one line within the limit, its first clause, and
// evidence only when the clause cites none.
func TestShortReason(t *testing.T) {
	long := "python313 because no project file asks for a Python version: 3.13 is one packages publish wheels for (newer minors may lack them; --python picks another)"
	for _, tc := range []struct {
		r    Reason
		want string
	}{
		{Reason{Text: "python312 because .python-version:1 says 3.12; satisfies requires-python >=3.10 (pyproject.toml:7)",
			Evidence: []detect.Evidence{{Path: ".python-version", Line: 1}, {Path: "pyproject.toml", Line: 7}}},
			"python312 because .python-version:1 says 3.12"},
		{Reason{Text: "the project runs make", Evidence: []detect.Evidence{{Path: "Makefile", Line: 3}}}, "the project runs make (Makefile:3)"},
		{Reason{Text: long}, "python313 because no project file asks for a Python version"},
		{Reason{Text: "psycopg2: psycopg2 has no wheels: pip builds it against libpq (found with pg_config/pkg-config) and links libpq at run time; more"},
			"psycopg2: psycopg2 has no wheels: pip builds it against libpq and links libpq at run time"},
		{Reason{Text: "numpy, scipy: manylinux wheels with C/C++ code load libstdc++.so.6, which a Nix interpreter does not find; more"},
			"numpy, scipy: manylinux wheels with C/C++ code load libstdc++.so.6"},
		{Reason{Text: "python311 because it is the newest Python the project's setup and CI test jobs use (.github/workflows/ci.yml:17), not 3.12: matplotlib==3.7.5 (requirements.txt:29) publishes wheels up to Python 3.11; on a newer one pip would build it from source",
			Evidence: []detect.Evidence{{Path: ".github/workflows/ci.yml", Line: 17}, {Path: "requirements.txt", Line: 29}}},
			"python311 because it is the newest Python the project's setup and CI test jobs use"},
		{Reason{Text: strings.Repeat("word ", 40)}, strings.TrimSpace(strings.Repeat("word ", 19)) + "..."},
		{Reason{Text: strings.Repeat("é", 60)}, strings.Repeat("é", 47) + "..."},
	} {
		got := shortReason(tc.r)
		if got != tc.want {
			t.Errorf("shortReason(%q) =\n%q, want\n%q", tc.r.Text, got, tc.want)
		}
		if len(got) > maxManifestLine-2 {
			t.Errorf("%q is longer than a manifest line allows", got)
		}
	}
}

func TestTomlMultilineFallsBackWhenLiteralIsImpossible(t *testing.T) {
	for _, s := range []string{
		"echo '''\n",
		"x='\\''''\n",
		"bell \x07 and cr \r\n",
		"no trailing newline",
		"ends with quote'",
		"",
	} {
		data := []byte("k = " + tomlMultiline(s) + "\n")
		var doc map[string]string
		if err := toml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%q: %v\n%s", s, err, data)
		}
		want := s
		if !strings.HasSuffix(want, "\n") {
			want += "\n"
		}
		if doc["k"] != want {
			t.Errorf("%q round-trips as %q", s, doc["k"])
		}
	}
}

func TestEnvFiles(t *testing.T) {
	plan := &Plan{EnvName: "My Shop.API", Packages: []Package{{ID: "python", PkgPath: "python312"}}}
	files := EnvFiles(plan)
	want := map[string]string{
		".flox/env.json":       "{\n  \"name\": \"my-shop-api\",\n  \"version\": 1\n}\n",
		".flox/.gitignore":     "run/\ncache/\nlib/\nlog/\n!env/\n",
		".flox/.gitattributes": "env/manifest.lock linguist-generated=true linguist-language=JSON\n",
	}
	for name, w := range want {
		if got := string(files[name]); got != w {
			t.Errorf("%s = %q, want %q", name, got, w)
		}
	}
	if len(files) != 4 {
		t.Errorf("EnvFiles returned %d files, want 4 (no manifest.lock: Flox writes it)", len(files))
	}
	checkManifest(t, files[".flox/env/manifest.toml"])
}

// FuzzManifest renders plans with arbitrary names, values and scripts; the
// manifest must always parse and give back the same values.
func FuzzManifest(f *testing.F) {
	f.Add("python", "python312", "VAR", "value", "echo hi\n", "why")
	f.Add("a.b", "cudaPackages.cudatoolkit", "X Y", "\"'\\", "'''\n", "line\nbreak")
	f.Add("", "", "", "", "\x00\r", "")
	f.Fuzz(func(t *testing.T, id, pkgPath, varName, varValue, hook, why string) {
		plan := &Plan{
			EnvName:  why,
			Packages: []Package{{ID: id, PkgPath: pkgPath, Reason: Reason{Text: why}}},
			Vars:     []Var{{Name: varName, Value: varValue, Reason: Reason{Text: why}}},
			Hook:     hook,
			Profile:  Profile{Bash: hook},
		}
		data := plan.Manifest()
		var doc map[string]any
		if err := toml.Unmarshal(data, &doc); err != nil {
			if !isValidUTF8(id, pkgPath, varName, varValue, hook, why) {
				return
			}
			t.Fatalf("manifest does not parse: %v\n%s", err, data)
		}
		if !isValidUTF8(id, pkgPath, varName, varValue, hook, why) {
			return
		}
		if got := get(doc, "vars", varName); got != varValue {
			t.Errorf("var %q = %q, want %q", varName, got, varValue)
		}
		if got := get(doc, "install", id, "pkg-path"); got != pkgPath {
			t.Errorf("pkg-path = %q, want %q", got, pkgPath)
		}
		if r := shortReason(Reason{Text: why}); utf8.RuneCountInString(r) > maxManifestLine-2 || strings.Contains(r, "\n") {
			t.Errorf("reason comment %q is not one short line", r)
		}
		if hook != "" {
			want := hook
			if !strings.HasSuffix(want, "\n") {
				want += "\n"
			}
			if got := get(doc, "hook", "on-activate"); got != want {
				t.Errorf("hook = %q, want %q", got, want)
			}
		}
	})
}

func isValidUTF8(ss ...string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return false
		}
	}
	return true
}
