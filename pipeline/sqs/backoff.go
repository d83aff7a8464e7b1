package sqs

import "time"

// Backoff returns how long a nacked message stays invisible before SQS offers it again, given how many
// times it has been received so far (1 on the first delivery). SQS counts visibility in whole seconds:
// durations are rounded up, and capped at 12 hours.
type Backoff func(receiveCount int) time.Duration

// ExponentialBackoff doubles the delay with every receive: initial after the first, 2×initial after the
// second, and so on, never more than max. It is the default NackBackoff (1 s up to 5 min): a message that
// keeps failing does not spin, and reaches its dead-letter queue within minutes.
func ExponentialBackoff(initial, max time.Duration) Backoff {
	return func(receiveCount int) time.Duration {
		if receiveCount < 1 {
			receiveCount = 1
		}
		d := initial
		for i := 1; i < receiveCount && d < max; i++ {
			d *= 2
		}
		return min(d, max)
	}
}

// ConstantBackoff always waits d. ConstantBackoff(0) makes a nacked message visible again at once.
func ConstantBackoff(d time.Duration) Backoff {
	return func(int) time.Duration { return d }
}

// maxVisibility is SQS's cap on a visibility timeout.
const maxVisibility = 12 * time.Hour

// visibilitySeconds converts d to SQS's whole seconds: rounded up, clamped to [0, 12h].
func visibilitySeconds(d time.Duration) int32 {
	if d <= 0 {
		return 0
	}
	d = min(d, maxVisibility)
	return int32((d + time.Second - 1) / time.Second)
}
