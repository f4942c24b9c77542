using Ordo.Integration;

using static Ordo.Cli.Tests.CliRunner;

namespace Ordo.Cli.Tests;

public sealed class CliTests
{
    [Fact]
    public void Methods_ListsEveryMethod_ExitsZero()
    {
        (int code, string output, string error) = Run("methods");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        foreach (IOdeMethod m in OdeMethods.All.Concat(OdeMethods.Stiff).Append(OdeMethods.Auto))
        {
            Assert.Contains(m.Name, output, StringComparison.Ordinal);
            Assert.Contains(m.Description.Split(' ')[0], output, StringComparison.Ordinal);
        }
        Assert.Contains("fixed step", output, StringComparison.Ordinal); // euler, rk4 have no error estimator
    }

    [Fact]
    public void Bench_QuickOdeRun_WritesReportCsvAndPlots()
    {
        string dir = Path.Combine(Path.GetTempPath(), "ordo-cli-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            (int code, string output, string error) = Run("bench", "--suite", "ode", "--problems", "DETEST_A1", "--methods", "dp5",
                "--rtols", "1e-4,1e-6", "--no-scipy", "--out", dir);
            Assert.True(code == 0, $"exit {code}; stderr: {error}");
            Assert.True(File.Exists(Path.Combine(dir, "report.md")));
            Assert.True(File.Exists(Path.Combine(dir, "results.csv")));
            string[] pngs = Directory.GetFiles(dir, "*.png");
            Assert.NotEmpty(pngs);
            Assert.All(pngs, p => Assert.True(new FileInfo(p).Length > 1000, p));

            string[] csv = File.ReadAllLines(Path.Combine(dir, "results.csv"));
            Assert.Equal(3, csv.Length); // header + 2 tolerances
            Assert.All(csv.Skip(1), line => Assert.StartsWith("ordo,DETEST_A1,dp5,", line, StringComparison.Ordinal));
            Assert.All(csv.Skip(1), line => Assert.Contains(",success,", line, StringComparison.Ordinal));

            string md = File.ReadAllText(Path.Combine(dir, "report.md"));
            Assert.Contains("DETEST_A1", md, StringComparison.Ordinal);
            Assert.Contains("not run (--no-scipy)", md, StringComparison.Ordinal);
            Assert.Contains("dp5", output, StringComparison.Ordinal);
            Assert.Contains("report written to", output, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("foo", "unknown suite 'foo'")]
    public void Bench_BadSuite_ExitsTwoNamingIt(string suite, string message)
    {
        (int code, string output, string error) = Run("bench", "--suite", suite, "--no-scipy");
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal); // no stack trace
        Assert.Equal("", output);
    }

    [Theory]
    [InlineData(new[] { "--methods", "nosuch" }, "unknown method 'nosuch'")]
    [InlineData(new[] { "--methods", "euler" }, "method 'euler' takes fixed steps only")]
    [InlineData(new[] { "--problems", "NOPE" }, "unknown problem 'NOPE'")]
    [InlineData(new[] { "--rtols", "1e-4,abc" }, "cannot read 'abc' as a number")]
    [InlineData(new[] { "--rtols", "2" }, "tolerance 2 is not between 0 and 1")]
    [InlineData(new[] { "--frobnicate" }, "'--frobnicate'")]
    public void Bench_BadInput_ExitsTwoNamingIt(string[] extra, string message)
    {
        (int code, _, string error) = Run(["bench", "--no-scipy", .. extra]);
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void UnknownCommand_ExitsTwo()
    {
        (int code, _, string error) = Run("frobnicate");
        Assert.Equal(2, code);
        Assert.Contains("frobnicate", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ExitsZero()
    {
        (int code, string output, _) = Run("bench", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--suite", output, StringComparison.Ordinal);
    }
}
