package main

import (
	"context"
	"fmt"
	"os"
	"strings"
)

// An in-process session against a local directory: define a resource, insert a record, read it
// back as JSON, and count a partition.
func ExampleApp_Run() {
	dir, err := os.MkdirTemp("", "s3db-cli-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	app := &App{Getenv: env{EnvConnection: "file://" + dir}.get}
	run := func(args ...string) {
		code := app.Run(context.Background(), args, strings.NewReader(""), os.Stdout, os.Stdout)
		if code != ExitOK {
			fmt.Println("exit", code)
		}
	}
	run("--json", "create-resource", "users", "--attributes", `{"name":"string|required","region":"string"}`, "--partitions", `["region"]`)
	run("insert", "users", "-d", `{"id":"u1","name":"Ada","region":"eu"}`)
	run("--json", "get", "users", "u1")
	run("count", "users", "--partition", "byRegion", "--values", "region=eu")
	run("get", "users", "u2")
	// Output:
	// {"status":"created","name":"users","version":"v1","behavior":"user-managed","timestamps":false,"attributes":{"name":"string|required","region":"string"},"partitions":{"byRegion":{"fields":{"region":"string"}}}}
	// FIELD   VALUE
	// id      u1
	// name    Ada
	// region  eu
	// {"name":"Ada","region":"eu","id":"u1"}
	// 1
	// s3db get: users "u2" not found: check the id (s3db ids users lists them)
	// exit 1
}

type env map[string]string

func (e env) get(k string) string { return e[k] }
