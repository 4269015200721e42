using System.Text.Json;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.Cli.Tests;

/// <summary>The JSON the workflows read: all tenants (nightly drift check) and the images they run (image scan).</summary>
public sealed class TenantJsonOutputTests : IDisposable
{
    private const string AdminSite = "ghcr.io/os2borgerpc/os2borgerpc-admin-site";

    private readonly TempRepository _repository = new();

    public TenantJsonOutputTests()
    {
        _repository.Run("tenant", "new", "751", "--version", "7.2.0").ShouldSucceed();
        _repository.Run("tenant", "new", "461").ShouldSucceed();
        _repository.Run("tenant", "new", "630", "--version", "7.2.0").ShouldSucceed();
    }

    public void Dispose() => _repository.Dispose();

    [Fact]
    public void List_prints_every_slug_as_one_line_of_json() =>
        _repository.Run("tenant", "list", "--json").ShouldSucceed().Output.ShouldBe("[\"aarhus\",\"odense\",\"vejle\"]\n", StringCompareShould.IgnoreLineEndings);

    [Fact]
    public void List_json_still_fails_on_an_invalid_stack_file()
    {
        _repository.WithStack("broken", "config:\n  os2borgerpc:tenant:\n    slug: broken\n");

        var run = _repository.Run("tenant", "list", "--json");

        run.ExitCode.ShouldBe(1);
        JsonSerializer.Deserialize<string[]>(run.Output).ShouldBe(["aarhus", "broken", "odense", "vejle"]);
        run.Error.ShouldContain("1 invalid stack file(s)");
    }

    [Fact]
    public void Images_prints_each_image_once_with_the_tenants_that_run_it()
    {
        var run = _repository.Run("tenant", "images", "--json").ShouldSucceed();

        var images = JsonSerializer.Deserialize<ImageUse[]>(run.Output)!.ToDictionary(i => i.Image, i => i.Tenants);
        images[$"{AdminSite}:7.2.0"].ShouldBe(["aarhus", "vejle"]);
        images[$"{AdminSite}:7.1.0"].ShouldBe(["odense"]);
        images.Keys.ShouldContain(k => k.StartsWith("docker.io/library/postgres:", StringComparison.Ordinal));
        // Two admin-site versions and the kit's own images.
        images.Count.ShouldBe(2 + OS2BorgerPC.Deploy.TenantDecisions.Model.Images.All.Count);
    }

    [Fact]
    public void Images_without_json_is_a_table()
    {
        var table = _repository.Run("tenant", "images").ShouldSucceed().Output;

        table.Split('\n').ShouldContain(line => line.Contains($"{AdminSite}:7.2.0") && line.Contains("aarhus, vejle"));
    }

    [Fact]
    public void Images_with_a_platform_output_shows_each_upstream_image_and_where_the_cluster_pulls_it_from()
    {
        var facts = Path.Combine(_repository.Root, "platform.json");
        File.WriteAllText(facts, OS2BorgerPC.Deploy.Testing.RecordedPlatform.Azure.ToJson());

        var run = _repository.Run("tenant", "images", "--json", "--platform", facts).ShouldSucceed();

        var images = JsonSerializer.Deserialize<ImageUse[]>(run.Output)!;
        images.ShouldAllBe(i => i.PulledFrom == $"cros2bpc1a2b3c.azurecr.io/{i.Image}");
        _repository.Run("tenant", "images", "--platform", facts).ShouldSucceed().Output.Split('\n')
            .ShouldContain(line => line.Contains($"{AdminSite}:7.2.0") && line.Contains($"cros2bpc1a2b3c.azurecr.io/{AdminSite}:7.2.0"));
    }

    private sealed record ImageUse(
        [property: System.Text.Json.Serialization.JsonPropertyName("image")] string Image,
        [property: System.Text.Json.Serialization.JsonPropertyName("pulledFrom")] string? PulledFrom,
        [property: System.Text.Json.Serialization.JsonPropertyName("tenants")] string[] Tenants);
}
