namespace DlparAgent.Cli.Drmgr;

/// <summary>drmgr's usage text, verbatim (to stderr): the common line, then the type's, unindented.</summary>
internal static class DrmgrUsage
{
    public const string Common = "Usage: drmgr [-w minutes] [-d detail_level] [-C | --capabilities] [-h | --help]";

    public static string For(string? type) => type switch
    {
        "cpu" => "-c cpu {-a | -r} {-q <quantity> -p {variable_weight | ent_capacity} [-s drc_name | drc_index]",
        "mem" => "-c mem {-a | -r} {-q <quantity> -p {variable_weight | ent_capacity} | {-q <quantity> | -s [<drc_name> | <drc_index>]}}",
        "pci" => "-c pci -s <drc_name | drc_index> {-i | -a [-I] | -r [-I] | -R [-I]}",
        "slot" => "-c slot {-a | -r | -Q} -s <drc_name | drc_index>",
        "phb" => "-c phb [-Q | -r | -a] -s <drc_name | drc_index>",
        "port" => "-c port {-a | -r | -Q} -s drc_name",
        "pmig" => "-m -p {check | pre} -s <stream_id>",
        "phib" => "-m -p {check | pre} -s <stream_id> -n <self-arp secs>",
        "acc" => "-c acc -t <accelType> -q <QoS_credit_count>",
        _ => "{-c {port | slot | phb | pci | mem | cpu | acc} | -m}\nFor more information on the specific options for the various\n" +
            "connector types, run drmgr -c <type> -h",
    };

    public static void Write(TextWriter error, string? type)
    {
        error.WriteLine(Common);
        error.WriteLine(For(type));
    }
}
