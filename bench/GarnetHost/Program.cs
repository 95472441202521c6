using Garnet;

// GarnetHost <port>: Garnet on 127.0.0.1, no persistence, Lua on (the server's queue uses scripts),
// until the process is stopped.
var port = args.Length == 1 ? args[0] : "6379";
using var server = new GarnetServer([
    "--port", port, "--bind", "127.0.0.1", "--memory", "512m", "--index", "64m", "--lua", "-q", "--logger-level", "Warning",
]);
server.Start();
Console.WriteLine($"Garnet listening on 127.0.0.1:{port}");
await Task.Delay(Timeout.Infinite);
