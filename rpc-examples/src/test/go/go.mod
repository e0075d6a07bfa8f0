module keelrpc.io/examples/gointerop

go 1.19
