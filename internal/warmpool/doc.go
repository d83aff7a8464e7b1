// Package warmpool runs functions on long-lived goroutines whose stacks are already grown.
//
// Why: Watermill's router starts a goroutine per message, and a store write runs about 150 frames deep
// through the AWS SDK's middleware stack. A new goroutine starts with a small stack, which the runtime
// grows by doubling and copying, re-walking every frame each time, three or four times per message: in
// CPU profiles of the worker that was 15% of its time, more than its JSON and S3 signing together. A
// goroutine that lives on keeps its grown stack, so the copies happen once per goroutine instead of
// once per message. Goroutines are started on demand (as many as callers run at once, which the
// worker's concurrency bounds) and end after an idle period, so a burst does not pin its stacks.
package warmpool
