//go:build !linux

package main

// startShortRun tunes the heap for short runs on Linux only.
func startShortRun() {}
