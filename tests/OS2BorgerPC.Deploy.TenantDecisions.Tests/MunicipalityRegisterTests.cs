using OS2BorgerPC.Deploy.TenantDecisions.Municipalities;
using OS2BorgerPC.Deploy.TenantDecisions.Naming;

namespace OS2BorgerPC.Deploy.TenantDecisions.Tests;

public sealed class MunicipalityRegisterTests
{
    [Fact]
    public void Denmark_has_98_municipalities_with_unique_codes_and_slugs()
    {
        MunicipalityRegister.All.Count.ShouldBe(98);
        MunicipalityRegister.All.Select(m => m.Code).ShouldBeUnique();
        MunicipalityRegister.All.Select(m => m.Slug).ShouldBeUnique();
        MunicipalityRegister.All.ShouldAllBe(m => m.Code >= 101 && m.Code <= 999);
    }

    [Fact]
    public void Each_slug_is_derived_from_the_name_and_valid() =>
        MunicipalityRegister.All.ShouldAllBe(m => m.Slug == Slug.FromName(m.Name) && Slug.IsValid(m.Slug));

    [Fact]
    public void Each_official_name_names_the_municipality() =>
        MunicipalityRegister.All.ShouldAllBe(m => m.OfficialName.StartsWith(m.Name) && m.OfficialName.EndsWith("ommune"));

    [Theory]
    [InlineData(751, "Aarhus", "aarhus", "Aarhus Kommune")]
    [InlineData(101, "København", "koebenhavn", "Københavns Kommune")]
    [InlineData(173, "Lyngby-Taarbæk", "lyngby-taarbaek", "Lyngby-Taarbæk Kommune")]
    [InlineData(492, "Ærø", "aeroe", "Ærø Kommune")]
    public void A_municipality_is_found_by_its_code(int code, string name, string slug, string officialName) =>
        MunicipalityRegister.Find(code).ShouldBe(new Municipality(code, name, slug, officialName));

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(9999)]
    public void An_unknown_code_is_not_found(int code) => MunicipalityRegister.Find(code).ShouldBeNull();

    [Theory]
    [InlineData("Høje-Taastrup", "hoeje-taastrup")]
    [InlineData("Fælles IT (eksempel)", "faelles-it-eksempel")]
    [InlineData("  Ærø  --  Å ", "aeroe-aa")]
    [InlineData("IT-forsyningen for de fem kommuner i Nordsjælland", "it-forsyningen-for-de-fem-komm")]
    public void A_slug_is_made_from_a_danish_name(string name, string slug)
    {
        Slug.FromName(name).ShouldBe(slug);
        Slug.IsValid(slug).ShouldBeTrue();
    }
}
