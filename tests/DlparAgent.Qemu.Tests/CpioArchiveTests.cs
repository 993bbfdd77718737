using System.Globalization;
using System.Text;
using DlparAgent.Qemu.Guest;

namespace DlparAgent.Qemu.Tests;

/// <summary>The guest's initramfs writer: newc headers the kernel accepts, parents first, links kept as links.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CpioArchiveTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dlpar-cpio-").FullName;

    [Fact]
    public void Files_directories_and_links_come_out_as_newc_entries_with_their_modes()
    {
        Directory.CreateDirectory(Path.Combine(_root, "bin"));
        File.WriteAllText(Path.Combine(_root, "bin", "busybox"), "12345");
        File.SetUnixFileMode(Path.Combine(_root, "bin", "busybox"), (UnixFileMode)Convert.ToInt32("755", 8));
        File.CreateSymbolicLink(Path.Combine(_root, "bin", "sh"), "busybox");
        File.WriteAllText(Path.Combine(_root, "init"), "#!/bin/sh\n");

        using var archive = new MemoryStream();
        CpioArchive.Write(_root, archive);
        List<(string Name, uint Mode, string Data)> entries = Read(archive.ToArray());

        Assert.Equal(["bin", "bin/busybox", "bin/sh", "init", "TRAILER!!!"], entries.Select(e => e.Name));
        Assert.Equal(0x4000u, entries[0].Mode & 0xF000);
        Assert.Equal(0x81EDu, entries[1].Mode);
        Assert.Equal("12345", entries[1].Data);
        Assert.Equal(0xA000u, entries[2].Mode & 0xF000);
        Assert.Equal("busybox", entries[2].Data);
        Assert.Equal("#!/bin/sh\n", entries[3].Data);
        Assert.Equal(0, archive.Length % 4);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static List<(string Name, uint Mode, string Data)> Read(byte[] archive)
    {
        var entries = new List<(string, uint, string)>();
        int offset = 0;
        while (true)
        {
            string header = Encoding.ASCII.GetString(archive, offset, 110);
            Assert.StartsWith("070701", header, StringComparison.Ordinal);
            uint Field(int index) => uint.Parse(header.AsSpan(6 + (index * 8), 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            int nameSize = (int)Field(11), dataSize = (int)Field(6);
            string name = Encoding.UTF8.GetString(archive, offset + 110, nameSize - 1);
            offset += (110 + nameSize + 3) & ~3;
            entries.Add((name, Field(1), Encoding.UTF8.GetString(archive, offset, dataSize)));
            offset += (dataSize + 3) & ~3;
            if (name == "TRAILER!!!")
            {
                return entries;
            }
        }
    }
}
