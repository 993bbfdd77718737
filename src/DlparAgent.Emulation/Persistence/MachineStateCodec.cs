using System.Globalization;
using System.Security.Cryptography;
using DlparAgent.Core.Formats;
using DlparAgent.Emulation.Devices;
using DlparAgent.Emulation.Machine;

namespace DlparAgent.Emulation.Persistence;

/// <summary>
/// The state file: magic <c>DLPAREMU</c>, format version, payload length, payload, SHA-256 of the
/// payload. Anything else — another file, a damaged one, a newer format — is refused, never reset.
/// </summary>
public static class MachineStateCodec
{
    public const int FormatVersion = 1;

    private static ReadOnlySpan<byte> Magic => "DLPAREMU"u8;

    private const int HeaderSize = 8 + 4 + 8;
    private const int HashSize = 32;

    private static StateWriter EncodePayload(MachineState machine)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var w = new StateWriter(64 * 1024 + machine.BootTree.Length + machine.Events.Sum(e => e.Log.Length + 8) + (machine.Connectors.Count * 32));
        WriteProfile(w, machine.Profile);
        w.U32((uint)machine.Negotiated);
        w.Bool(machine.CasPerformed);
        w.U32(machine.NextPlid);
        w.I32(machine.NextMemoryNumber);
        w.I32(machine.NextPciNumber);

        w.U32((uint)machine.Devices.Count);
        foreach (EmulatedDevice device in machine.Devices)
        {
            WriteDevice(w, device);
        }

        // Connector strings repeat (types, containers, name prefixes): each distinct one is written once.
        var strings = new StringTable();
        IReadOnlyList<EmulatedDrc> connectors = machine.ConnectorsInOrder;
        using var records = new StateWriter(connectors.Count * 40);
        foreach (EmulatedDrc drc in connectors)
        {
            (string prefix, uint suffix) = SplitName(drc.Name);
            records.U32(drc.Index);
            records.I32(strings.Add(prefix));
            records.U32(suffix);
            records.I32(strings.Add(drc.Type));
            records.Byte((byte)drc.Kind);
            records.U32(drc.PowerDomain);
            records.I32(strings.Add(drc.ContainerPath));
            records.Byte((byte)drc.State);
            records.I32(drc.DeviceId is null ? -1 : strings.Add(drc.DeviceId));
            records.Byte((byte)((drc.UnplugRequested ? 1 : 0) | (drc.DrIndicator << 1)));
            records.I32(drc.WalkCursor);
            records.I32(drc.WalkDepth);
        }

        w.U32((uint)strings.Count);
        strings.ForEach(w.String);
        w.U32((uint)connectors.Count);
        w.Bytes(records.WrittenSpan);

        w.U32((uint)machine.Events.Count);
        foreach (QueuedEvent queued in machine.Events)
        {
            w.Byte((byte)queued.Kind);
            w.Blob(queued.Log);
        }

        w.U32((uint)machine.Faults.Count);
        foreach (FaultRule rule in machine.Faults)
        {
            w.String(rule.Service);
            w.OptionalU32(rule.Drc);
            w.OptionalU32(rule.Indicator);
            w.I32(rule.After);
            w.I32(rule.Times);
            w.Byte((byte)rule.Kind);
            w.I32(rule.Status);
            w.I32(rule.StormLength);
            w.I32(rule.Matched);
            w.I32(rule.Fired);
            w.I32(rule.StormProgress);
        }

        w.U32((uint)machine.Notifications.Count);
        machine.Notifications.ForEach(w.String);
        w.U32((uint)machine.IrqPulses.Count);
        foreach ((uint irq, int count) in machine.IrqPulses)
        {
            w.U32(irq);
            w.I32(count);
        }

        w.U32((uint)machine.PowerLevels.Count);
        foreach ((uint domain, uint level) in machine.PowerLevels)
        {
            w.U32(domain);
            w.U32(level);
        }

        w.Blob(machine.BootTree);
        w.U32((uint)machine.Extensions.Count);
        foreach ((string name, byte[] bytes) in machine.Extensions)
        {
            w.String(name);
            w.Blob(bytes);
        }

        return w;
    }

    /// <summary>The whole state file as bytes.</summary>
    public static byte[] Encode(MachineState machine)
    {
        using var file = new MemoryStream();
        Write(machine, file);
        return file.ToArray();
    }

    /// <summary>Writes the state file to a stream: header, payload, SHA-256 of the payload.</summary>
    public static void Write(MachineState machine, Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using StateWriter payload = EncodePayload(machine);
        Span<byte> header = stackalloc byte[HeaderSize];
        Magic.CopyTo(header);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header[8..], FormatVersion);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(header[12..], (ulong)payload.WrittenSpan.Length);
        Span<byte> hash = stackalloc byte[HashSize];
        SHA256.HashData(payload.WrittenSpan, hash);
        output.Write(header);
        output.Write(payload.WrittenSpan);
        output.Write(hash);
    }

    /// <summary>Decodes a state file; <paramref name="source"/> names it in errors.</summary>
    public static MachineState Decode(ReadOnlySpan<byte> file, string source)
    {
        if (file.Length < HeaderSize + HashSize || !file[..8].SequenceEqual(Magic))
        {
            throw new StateFileException(StateProblem.Unreadable, $"{source} is not a DlparAgent emulated-machine state file; refusing to use or overwrite it");
        }

        int version = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(file[8..]);
        if (version != FormatVersion)
        {
            throw new StateFileException(StateProblem.Unreadable, $"{source} has state format {version}; this version of dlpar reads format {FormatVersion}");
        }

        ulong length = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(file[12..]);
        if (length != (ulong)(file.Length - HeaderSize - HashSize))
        {
            throw new StateFileException(StateProblem.Unreadable,
                $"{source} is damaged: it declares {length} bytes of state but holds {file.Length - HeaderSize - HashSize}");
        }

        ReadOnlySpan<byte> payload = file.Slice(HeaderSize, (int)length);
        Span<byte> hash = stackalloc byte[HashSize];
        SHA256.HashData(payload, hash);
        if (!hash.SequenceEqual(file[(HeaderSize + (int)length)..]))
        {
            throw new StateFileException(StateProblem.Unreadable, $"{source} is damaged: its checksum does not match its contents");
        }

        try
        {
            return ReadPayload(payload);
        }
        catch (Exception error) when (error is DlparFormatException or ArgumentException or InvalidOperationException)
        {
            throw new StateFileException(StateProblem.Unreadable, $"{source} is damaged: {error.Message}", error);
        }
    }

    private static MachineState ReadPayload(ReadOnlySpan<byte> payload)
    {
        var r = new StateReader(payload);
        var machine = new MachineState(ReadProfile(ref r))
        {
            Negotiated = (Ov5)r.U32("negotiated"),
            CasPerformed = r.Bool("cas performed"),
            NextPlid = r.U32("next plid"),
            NextMemoryNumber = r.I32("next memory number"),
            NextPciNumber = r.I32("next pci number"),
        };

        int devices = r.Count("devices", 3);
        for (int i = 0; i < devices; i++)
        {
            machine.AddDevice(ReadDevice(ref r));
        }

        int stringCount = r.Count("strings", 2);
        string[] strings = new string[stringCount];
        for (int i = 0; i < strings.Length; i++)
        {
            strings[i] = r.String("string");
        }

        string Ref(int index, string field) =>
            (uint)index < (uint)strings.Length ? strings[index] : throw new InvalidOperationException($"{field} refers to string {index} of {strings.Length}");

        int connectors = r.Count("connectors", 32);
        for (int i = 0; i < connectors; i++)
        {
            uint index = r.U32("drc index");
            string prefix = Ref(r.I32("drc name"), "drc name");
            uint suffix = r.U32("drc name number");
            string name = suffix == NoSuffix ? prefix : string.Create(CultureInfo.InvariantCulture, $"{prefix}{suffix}");
            var drc = new EmulatedDrc(index, name, Ref(r.I32("drc type"), "drc type"), Enum<DrcKind>(r.Byte("drc kind"), "drc kind"),
                r.U32("drc power domain"), Ref(r.I32("drc container"), "drc container"))
            {
                State = Enum<DrcState>(r.Byte("drc state"), "drc state"),
            };
            int device = r.I32("drc device");
            drc.DeviceId = device == -1 ? null : Ref(device, "drc device");
            byte flags = r.Byte("drc flags");
            drc.UnplugRequested = (flags & 1) != 0;
            drc.DrIndicator = (byte)(flags >> 1);
            drc.WalkCursor = r.I32("drc walk cursor");
            drc.WalkDepth = r.I32("drc walk depth");
            if (drc.DeviceId is { } id && machine.FindDevice(id) is null)
            {
                throw r.Error("drc device", $"connector {drc.Name} names unknown device {id}");
            }

            machine.AddDrc(drc);
        }

        int events = r.Count("events", 5);
        for (int i = 0; i < events; i++)
        {
            machine.Events.Add(new QueuedEvent(Enum<EventKind>(r.Byte("event kind"), "event kind"), r.Blob("event log")));
        }

        int faults = r.Count("faults", 30);
        for (int i = 0; i < faults; i++)
        {
            machine.Faults.Add(new FaultRule
            {
                Service = r.String("fault service"),
                Drc = r.OptionalU32("fault drc"),
                Indicator = r.OptionalU32("fault indicator"),
                After = r.I32("fault after"),
                Times = r.I32("fault times"),
                Kind = Enum<FaultKind>(r.Byte("fault kind"), "fault kind"),
                Status = r.I32("fault status"),
                StormLength = r.I32("fault storm"),
                Matched = r.I32("fault matched"),
                Fired = r.I32("fault fired"),
                StormProgress = r.I32("fault storm progress"),
            });
        }

        int notifications = r.Count("notifications", 2);
        for (int i = 0; i < notifications; i++)
        {
            machine.Notifications.Add(r.String("notification"));
        }

        int pulses = r.Count("irq pulses", 8);
        for (int i = 0; i < pulses; i++)
        {
            machine.IrqPulses[r.U32("irq")] = r.I32("irq pulse count");
        }

        int levels = r.Count("power levels", 8);
        for (int i = 0; i < levels; i++)
        {
            machine.PowerLevels[r.U32("power domain")] = r.U32("power level");
        }

        machine.BootTree = r.Blob("boot tree");
        int extensions = r.Count("extensions", 6);
        for (int i = 0; i < extensions; i++)
        {
            machine.Extensions[r.String("extension name")] = r.Blob("extension");
        }

        if (!r.AtEnd)
        {
            throw r.Error("end", "bytes follow the last section");
        }

        return machine;
    }

    private const uint NoSuffix = uint.MaxValue;

    /// <summary>"LMB 16" → ("LMB ", 16); a name without a plain decimal tail keeps it whole.</summary>
    private static (string Prefix, uint Suffix) SplitName(string name)
    {
        int start = name.Length;
        while (start > 0 && char.IsAsciiDigit(name[start - 1]))
        {
            start--;
        }

        int digits = name.Length - start;
        if (digits is 0 or > 9 || (digits > 1 && name[start] == '0'))
        {
            return (name, NoSuffix);
        }

        return (name[..start], uint.Parse(name.AsSpan(start), NumberStyles.None, CultureInfo.InvariantCulture));
    }

    private static void WriteProfile(StateWriter w, MachineProfile p)
    {
        w.Byte((byte)p.Flavor);
        w.I32(p.BootCpus);
        w.I32(p.MaxCpus);
        w.I32(p.Threads);
        w.U64(p.Memory);
        w.U64(p.MaxMemory);
        w.I32(p.MemorySlots);
        w.I32(p.BootPhbs);
        w.Byte((byte)p.Negotiation);
        w.Bool(p.DrmemV2);
        w.Bool(p.Strict);
        w.Bool(p.QemuLmbAddressBug);
    }

    private static MachineProfile ReadProfile(ref StateReader r) => new()
    {
        Flavor = Enum<PlatformFlavor>(r.Byte("flavor"), "flavor"),
        BootCpus = r.I32("boot cpus"),
        MaxCpus = r.I32("max cpus"),
        Threads = r.I32("threads"),
        Memory = r.U64("memory"),
        MaxMemory = r.U64("max memory"),
        MemorySlots = r.I32("memory slots"),
        BootPhbs = r.I32("boot phbs"),
        Negotiation = Enum<NegotiationMode>(r.Byte("negotiation"), "negotiation"),
        DrmemV2 = r.Bool("drmem v2"),
        Strict = r.Bool("strict"),
        QemuLmbAddressBug = r.Bool("lmb address bug"),
    };

    private static void WriteDevice(StateWriter w, EmulatedDevice device)
    {
        switch (device)
        {
            case CpuCoreDevice core:
                Head(w, 0, device);
                w.I32(core.CoreId);
                w.I32(core.Threads);
                break;
            case MemoryDevice dimm:
                Head(w, 1, device);
                w.U64(dimm.Address);
                w.U64(dimm.Size);
                w.I32(dimm.Node);
                w.U32(dimm.FirstLmbIndex);
                w.I32(dimm.AttachedLmbs);
                break;
            case PhbDevice phb:
                Head(w, 2, device);
                w.I32(phb.Index);
                break;
            case PciDevice pci:
                Head(w, 3, device);
                w.I32(pci.Phb);
                w.I32(pci.Slot);
                w.I32(pci.Function);
                w.String(pci.Model.Name);
                break;
            case PmemDevice pmem:
                Head(w, 4, device);
                w.I32(pmem.Slot);
                w.U64(pmem.Size);
                break;
            case VioDevice vio:
                Head(w, 5, device);
                w.I32(vio.Slot);
                w.String(vio.Model);
                break;
            default:
                throw new InvalidOperationException($"no encoding for {device.GetType().Name}");
        }

        static void Head(StateWriter w, byte kind, EmulatedDevice device)
        {
            w.Byte(kind);
            w.String(device.Id);
            w.Byte((byte)device.Origin);
        }
    }

    private static EmulatedDevice ReadDevice(ref StateReader r)
    {
        byte kind = r.Byte("device kind");
        string id = r.String("device id");
        DeviceOrigin origin = Enum<DeviceOrigin>(r.Byte("device origin"), "device origin");
        return kind switch
        {
            0 => new CpuCoreDevice(id, origin, r.I32("core id"), r.I32("threads")),
            1 => new MemoryDevice(id, origin, r.U64("address"), r.U64("size"), r.I32("node"), r.U32("first lmb")) { AttachedLmbs = r.I32("attached lmbs") },
            2 => new PhbDevice(id, origin, r.I32("phb index")),
            3 => new PciDevice(id, origin, r.I32("pci phb"), r.I32("pci slot"), r.I32("pci function"), PciModelNamed(r.String("pci model"))),
            4 => new PmemDevice(id, origin, r.I32("pmem slot"), r.U64("pmem size")),
            5 => new VioDevice(id, origin, r.I32("vio slot"), r.String("vio model")),
            _ => throw r.Error("device kind", $"unknown device kind {kind}"),
        };
    }

    private static PciModel PciModelNamed(string name) =>
        PciModel.Find(name) ?? throw new InvalidOperationException($"unknown PCI model {name}");

    private static T Enum<T>(byte value, string field)
        where T : struct, Enum =>
        DefinedValues<T>.ByByte[value] ?? throw new InvalidOperationException($"{field} {value} is not valid");

    /// <summary>
    /// An enum's defined values by their byte encoding, built once per type
    /// (no boxing per field read: a state file holds 262,144 connectors).
    /// </summary>
    private static class DefinedValues<T>
        where T : struct, Enum
    {
        public static readonly T?[] ByByte = Build();

        private static T?[] Build()
        {
            var table = new T?[256];
            foreach (T value in System.Enum.GetValues<T>())
            {
                long number = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                if (number is >= 0 and <= byte.MaxValue)
                {
                    table[number] = value;
                }
            }

            return table;
        }
    }
}
