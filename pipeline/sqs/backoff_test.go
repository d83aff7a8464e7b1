package sqs_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/s3db-go/s3db/pipeline/sqs"
)

func TestExponentialBackoff(t *testing.T) {
	b := sqs.ExponentialBackoff(time.Second, 10*time.Second)
	want := map[int]time.Duration{0: time.Second, 1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 4: 8 * time.Second, 5: 10 * time.Second, 1000: 10 * time.Second}
	for count, d := range want {
		assert.Equal(t, d, b(count), "receive count %d", count)
	}
	assert.Equal(t, time.Duration(0), sqs.ConstantBackoff(0)(7))
}
