// Command pause is the test cluster's pod sandbox process: it holds a pod's
// namespaces open, reaps orphaned children, and exits on SIGINT or SIGTERM.
// The node cannot pull registry.k8s.io/pause, so scripts/lib/kubernetes.sh
// builds this into a local image and pushes it to the local registry.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for sig := range signals {
		if sig != syscall.SIGCHLD {
			os.Exit(0)
		}
		for {
			pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}
