//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package objstore

import (
	"errors"
	"os"
)

// errWouldBlock is never returned here: without flock, Dir locks only within its process.
var errWouldBlock = errors.New("would block")

func tryLockFile(*os.File) error { return nil }

func unlockFile(*os.File) error { return nil }
