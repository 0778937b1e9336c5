package cshim

/*
#include <stdlib.h>
#include "parson.h"
*/
import "C"

import (
	"errors"
	"unsafe"
)

// ErrJSON is returned by SerializeJSON for input the module-facing JSON parser rejects.
var ErrJSON = errors.New("cshim: json: parse failed")

// SerializeJSON parses s with the parson-compatible parser that modules use
// (json_parse_string) and returns its compact serialization (json_serialize_to_string):
// exactly the text a module gets when it serializes the same value itself.
//
// # Memory
//
// s is copied into C memory for the call; the C value and the serialized string are
// freed before returning.
func SerializeJSON(s string) (string, error) {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	v := C.json_parse_string(cs)
	if v == nil {
		return "", ErrJSON
	}
	defer C.json_value_free(v)
	out := C.json_serialize_to_string(v)
	if out == nil {
		return "", ErrJSON
	}
	defer C.json_free_serialized_string(out)
	return C.GoString(out), nil
}
