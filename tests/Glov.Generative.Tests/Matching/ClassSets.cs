using Glov.Generative.Matching;

namespace Glov.Generative.Tests.Matching;

public static class ClassSets
{
    public static readonly ClassLabel[] Cifar10 =
        new[] { "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck" }
            .Select(n => new ClassLabel(n)).ToArray();

    /// <summary>Oxford-IIIT Pets' 37 breeds, spelt as in the dataset's file names.</summary>
    public static readonly ClassLabel[] OxfordPets =
        new[] { "Abyssinian", "american_bulldog", "american_pit_bull_terrier", "basset_hound", "beagle", "Bengal", "Birman",
         "Bombay", "boxer", "British_Shorthair", "chihuahua", "Egyptian_Mau", "english_cocker_spaniel", "english_setter",
         "german_shorthaired", "great_pyrenees", "havanese", "japanese_chin", "keeshond", "leonberger", "Maine_Coon",
         "miniature_pinscher", "newfoundland", "Persian", "pomeranian", "pug", "Ragdoll", "Russian_Blue", "saint_bernard",
         "samoyed", "scottish_terrier", "shiba_inu", "Siamese", "Sphynx", "staffordshire_bull_terrier", "wheaten_terrier",
         "yorkshire_terrier" }
            .Select(n => new ClassLabel(n)).ToArray();

    /// <summary>A slice of Oxford Flowers-102's class names.</summary>
    public static readonly ClassLabel[] Flowers =
        new[] { "pink primrose", "tiger lily", "water lily", "sunflower", "rose", "lotus", "daffodil", "bishop of llandaff",
         "sweet william", "fire lily", "giant white arum lily", "colt's foot", "snapdragon", "orange dahlia", "barbeton daisy" }
            .Select(n => new ClassLabel(n)).ToArray();
}
