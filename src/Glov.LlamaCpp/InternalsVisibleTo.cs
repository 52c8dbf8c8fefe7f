using System.Runtime.CompilerServices;

// The multimodal engine in Glov.Generative shares the one-time native setup (log capture, library
// resolution) so both engines can live in one process.
[assembly: InternalsVisibleTo("Glov.Generative")]
