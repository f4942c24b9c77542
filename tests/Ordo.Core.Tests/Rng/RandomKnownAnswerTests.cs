using Ordo.Rng;

namespace Ordo.Core.Tests.Rng;

/// <summary>Philox4x32 against Random123's known-answer vectors (Data/rng_kat.json, all Philox4x32 entries).</summary>
public class RandomKnownAnswerTests
{
    public static TheoryData<int> Philox4x32Vectors()
    {
        var data = new TheoryData<int>();
        int i = 0;
        foreach (var v in RandomTestData.Load("rng_kat.json").GetProperty("vectors").EnumerateArray())
        {
            if (v.GetProperty("gen").GetString() == "philox4x32")
                data.Add(i);
            i++;
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Philox4x32Vectors))]
    public void Philox4x32_MatchesRandom123KnownAnswer(int vector)
    {
        var v = RandomTestData.Load("rng_kat.json").GetProperty("vectors")[vector];
        uint[] c = RandomTestData.HexWords(v.GetProperty("ctr"));
        uint[] k = RandomTestData.HexWords(v.GetProperty("key"));
        uint[] e = RandomTestData.HexWords(v.GetProperty("expected"));
        int rounds = v.GetProperty("rounds").GetInt32();
        var counter = new Words4x32(c[0], c[1], c[2], c[3]);
        var key = new PhiloxKey(k[0], k[1]);

        Assert.Equal(new Words4x32(e[0], e[1], e[2], e[3]), Philox4x32.Generate(counter, key, rounds));
        if (rounds == Philox4x32.Rounds)
            Assert.Equal(new Words4x32(e[0], e[1], e[2], e[3]), Philox4x32.Generate(counter, key));
    }

    [Fact]
    public void Philox4x32_TenRoundVectorsArePresent()
    {
        // The three Philox4x32-10 vectors of sde.md §2.1 must be among the data (guards against an emptied file).
        int tenRound = RandomTestData.Load("rng_kat.json").GetProperty("vectors").EnumerateArray()
            .Count(v => v.GetProperty("gen").GetString() == "philox4x32" && v.GetProperty("rounds").GetInt32() == 10);
        Assert.Equal(3, tenRound);
        Assert.Equal(new Words4x32(0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8), Philox4x32.Generate(default, default));
    }
}
