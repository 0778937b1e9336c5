package cshim

/*
#cgo CFLAGS: -I${SRCDIR}/include -I${SRCDIR} -std=gnu99 -O2 -Wall -Wno-unused-parameter
#cgo LDFLAGS: -ldl -lpthread
*/
import "C"
