using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.Cli.Tests;

/// <summary><c>tenant handover</c>: the municipality's document, to standard output or a file.</summary>
public sealed class TenantHandoverTests : IDisposable
{
    private readonly TempRepository _repository = new();

    public TenantHandoverTests() => _repository.Run("tenant", "new", "751", "--admin-email", "it-drift@aarhus.dk").ShouldSucceed();

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void The_document_goes_to_standard_output()
    {
        var output = _repository.Run("tenant", "handover", "aarhus").ShouldSucceed().Output;

        output.ShouldStartWith("# Overdragelse: OS2BorgerPC admin-site for Aarhus Kommune");
        output.ShouldContain("- Adresse: https://aarhus.borgerpc.dk/");
        output.ShouldContain("- E-mail: it-drift@aarhus.dk");
    }

    [Fact]
    public void Output_writes_the_document_to_a_file_relative_to_the_working_folder()
    {
        var run = CliRun.In(_repository.Folder("docs"), "tenant", "handover", "aarhus", "--output", "handover/aarhus.md").ShouldSucceed();

        var file = Path.Combine(_repository.Root, "docs", "handover", "aarhus.md");
        File.ReadAllText(file).ShouldBe(_repository.Run("tenant", "handover", "aarhus").Output);
        run.Output.ShouldContain("to handover/aarhus.md. It holds no password");
    }

    [Fact]
    public void An_unknown_tenant_is_refused() =>
        _repository.Run("tenant", "handover", "odense").ShouldFail("There is no stack file for 'odense'");
}
