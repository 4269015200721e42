using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace OS2BorgerPC.Deploy.RealPrograms.Tests.Support;

/// <summary>
/// A throw-away Azure Blob server (Azurite, from npm) for one test run: its own temp folder, a free loopback
/// port, stopped and deleted at the end. Clients authenticate with Azurite's well-known development account
/// through an account SAS made here; production pods use workload identity or the platform's S3 credentials.
/// </summary>
public sealed class BlobServer : IDisposable
{
    public const string Account = "devstoreaccount1";

    // Azurite's published development key (https://learn.microsoft.com/azure/storage/common/storage-use-azurite).
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("os2bpc-azurite-");
    private readonly Process process;
    private int stopped;

    public BlobServer()
    {
        var azurite = RealProgram.Find("azurite-blob", "azurite (npm install -g azurite)");
        Port = PostgresServer.FreePort();
        var start = new ProcessStartInfo(azurite.Path)
        {
            WorkingDirectory = root.FullName,
        };
        foreach (var argument in new[] { "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--location", root.FullName, "--blobHost", "127.0.0.1", "--blobPort", Port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }
        process = Process.Start(start) ?? throw new InvalidOperationException("azurite-blob did not start.");
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Listening())
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                Dispose();
                throw new InvalidOperationException($"Azurite did not listen on 127.0.0.1:{Port}.");
            }
            Thread.Sleep(100);
        }
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}/{Account}";

    /// <summary>
    /// An rclone remote (by environment, named <paramref name="remote"/>) on this server and a restic repository
    /// through it in a container of its own: what the backup scripts get as RESTIC_REPOSITORY. <paramref name="readOnly"/>:
    /// read and list rights only, as a drill's Storage Blob Data Reader role has on its source's container.
    /// </summary>
    public Dictionary<string, string?> Repository(string remote, string container, string password, bool readOnly = false) => new()
    {
        [$"RCLONE_CONFIG_{remote.ToUpperInvariant()}_TYPE"] = "azureblob",
        [$"RCLONE_CONFIG_{remote.ToUpperInvariant()}_SAS_URL"] = $"{Endpoint}?{AccountSas(readOnly ? "rl" : "rwdlac")}",
        ["RCLONE_RETRIES"] = "1",
        ["RCLONE_LOW_LEVEL_RETRIES"] = "2",
        ["RESTIC_REPOSITORY"] = $"rclone:{remote}:{container}/restic",
        ["RESTIC_PASSWORD"] = password,
        ["BACKUP_TARGET"] = $"{Endpoint}/{container}",
    };

    /// <summary>Every blob name in a container (rclone's listing), to see what an upload left behind.</summary>
    public IReadOnlyList<string> Blobs(IReadOnlyDictionary<string, string?> repository, string remote, string container) =>
        RealProgram.Find("rclone", "rclone").Run(["lsf", "--recursive", "--files-only", $"{remote}:{container}"], repository)
            .ShouldSucceed().Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>An account SAS (service blob, all resource types, the given permissions), signed with the dev key.</summary>
    private static string AccountSas(string permissions)
    {
        const string version = "2019-12-12";
        const string expiry = "2099-01-01T00:00:00Z";
        var toSign = string.Join('\n', Account, permissions, "b", "sco", "", expiry, "", "", version, "");
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(AccountKey), Encoding.UTF8.GetBytes(toSign)));
        return $"sv={version}&ss=b&srt=sco&sp={permissions}&se={Uri.EscapeDataString(expiry)}&sig={Uri.EscapeDataString(signature)}";
    }

    private bool Listening()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        Stop();
    }

    private void OnProcessExit(object? sender, EventArgs e) => Stop();

    private void Stop()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
            process.Dispose();
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
