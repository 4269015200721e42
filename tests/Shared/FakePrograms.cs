using System.Runtime.Versioning;

namespace OS2BorgerPC.Deploy.Testing;

/// <summary>
/// Stand-ins for the Pulumi CLI and <c>dotnet publish</c> as the fleet runner drives them, shell scripts put first on
/// PATH (the CLI's fleet tests and the fleet runner benchmark). They record their calls in the folder $FAKE.
/// </summary>
[UnsupportedOSPlatform("windows")]
public static class FakePrograms
{
    /// <summary>The version the fake pulumi says it is unless FAKE_PULUMI_VERSION says otherwise (below).</summary>
    public const string DefaultPulumiVersion = "3.150.0";

    // Answers the Automation API's commands; records each call and, per operation, how many ran at that moment (with shell
    // builtins: the fleet runner benchmark measures the runner, not the fake's own processes).
    // 'missing' has no stack in the backend (select and operations fail as pulumi's do); 'broken' fails its operation; an operation takes FAKE_PULUMI_SECONDS (0.5).
    // 'locked' is held by a self-managed backend's lock, 'busy' by a Pulumi Cloud update, 'interrupted' carries pending
    // operations of a killed run (pulumi warns and goes on), each in pulumi's words (pulumi/pulumi v3.259.0:
    // pkg/backend/diy/lock.go, sdk/go/auto/errors.go, pkg/resource/deploy/deployment_executor.go).
    // It says it is version FAKE_PULUMI_VERSION (3.150.0). The Automation API gives a CLI up to 3.205 a file for the engine
    // events (--event-log <file>) and a newer one a gRPC server (--event-log tcp://<host:port>); the fake writes its
    // summary event there as pulumi does, to the server with curl (HTTP/2 without TLS, the one gRPC message framed by hand).
    public const string FakePulumi = """
        #!/bin/sh
        echo "$PWD: $*" >> "$FAKE/calls"
        byte() { printf "\\$(printf %03o "$1")"; }
        # One gRPC message: a byte saying it is not compressed, its 4-byte length, then an EventRequest whose field 1
        # (tag 10) is the event's JSON, its length a varint (two bytes at most: under 16 KiB). Accepted: grpc-status 0.
        grpc_event() {
            length=${#2}
            if [ "$length" -lt 128 ]; then size=$((length + 2)); else size=$((length + 3)); fi
            {
                byte 0; byte 0; byte 0; byte $((size >> 8)); byte $((size & 255)); byte 10
                if [ "$length" -lt 128 ]; then byte "$length"; else byte $(((length & 127) | 128)); byte $((length >> 7)); fi
                printf '%s' "$2"
            } | curl -sS --fail --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' \
                --data-binary @- -D - -o /dev/null "http://$1/pulumirpc.Events/StreamEvents" | grep -q '^grpc-status: 0[[:space:]]*$'
        }
        stack= eventlog= previous=
        for argument in "$@"; do
            case "$previous" in --stack) stack=$argument ;; --event-log) eventlog=$argument ;; esac
            previous=$argument
        done
        case "$1 $2" in
            "version ") echo "v${FAKE_PULUMI_VERSION:-3.150.0}" ;;
            "stack select") [ "$stack" != missing ] || { echo "error: no stack named '$stack' found" >&2; exit 255; } ;;
            "stack output") echo "{}" ;;
            "stack history") echo '[{"kind":"update","startTime":"2026-03-01T10:00:00Z","message":"","environment":{},"config":{},"result":"succeeded","endTime":"2026-03-01T10:00:05Z","version":2,"resourceChanges":{"create":1,"update":2,"same":10}}]' ;;
            preview*|up*|refresh*)
                [ "$stack" != missing ] || { echo "error: no stack named '$stack' found" >&2; exit 255; }
                : > "$FAKE/running.$stack"
                set -- "$FAKE"/running.*
                echo $# >> "$FAKE/in-flight"
                echo "Previewing update ($stack)"
                echo "warning: a message on standard error ($stack)" >&2
                sleep "${FAKE_PULUMI_SECONDS:-0.5}"
                rm "$FAKE/running.$stack"
                if [ "$stack" = broken ]; then echo 'error: failed to load kubeconfig: context "aks" not found' >&2; exit 255; fi
                if [ "$stack" = locked ]; then echo 'error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.' >&2; exit 255; fi
                if [ "$stack" = busy ]; then echo 'error: [409] Conflict: Another update is currently in progress.' >&2; exit 255; fi
                if [ "$stack" = interrupted ]; then printf '%s\n' 'warning: Attempting to deploy or update resources with 2 pending operations from previous deployment.' '  * urn:pulumi:interrupted::os2borgerpc::kubernetes:apps/v1:Deployment::admin-site, interrupted while updating'; fi
                summary='{"sequence":1,"timestamp":0,"summaryEvent":{"maybeCorrupt":false,"durationSeconds":1,"resourceChanges":{"create":2,"delete":1,"same":5},"policyPacks":{}}}'
                case "$eventlog" in
                    "") ;;
                    tcp://*) grpc_event "${eventlog#tcp://}" "$summary" || { echo "fake pulumi: the events server did not take the event" >&2; exit 3; } ;;
                    *) echo "$summary" >> "$eventlog" ;;
                esac ;;
            *) echo "fake pulumi: unexpected '$*'" >&2; exit 2 ;;
        esac
        """;

    // Publishes as 'dotnet publish' does (an assembly and its runtimeconfig.json in --output) after FAKE_BUILD_SECONDS (0),
    // or fails with FAKE_BUILD_ERROR as a compile error does.
    public const string FakeDotnet = """
        #!/bin/sh
        echo "$*" >> "$FAKE/builds"
        sleep "${FAKE_BUILD_SECONDS:-0}"
        if [ -n "$FAKE_BUILD_ERROR" ]; then echo "$FAKE_BUILD_ERROR"; echo "Build FAILED."; exit 1; fi
        previous= output=
        for argument in "$@"; do
            [ "$previous" != --output ] || output=$argument
            previous=$argument
        done
        mkdir -p "$output" && touch "$output/OS2BorgerPC.Deploy.TenantProgram.dll" "$output/OS2BorgerPC.Deploy.TenantProgram.runtimeconfig.json"
        """;

    /// <summary>Writes <c>pulumi</c> and <c>dotnet</c> into <paramref name="folder"/>, executable.</summary>
    public static void WriteTo(string folder)
    {
        foreach (var (name, script) in new[] { ("pulumi", FakePulumi), ("dotnet", FakeDotnet) })
        {
            Write(folder, name, script);
        }
    }

    /// <summary>Writes one shell script into <paramref name="folder"/>, executable; its path.</summary>
    public static string Write(string folder, string name, string script)
    {
        var program = Path.Combine(folder, name);
        File.WriteAllText(program, script.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return program;
    }
}
