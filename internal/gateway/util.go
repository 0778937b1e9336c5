package gateway

import "github.com/edgev1/gateway/cshim"

type cshimMessage = cshim.Message
