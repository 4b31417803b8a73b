using QRCoder;

namespace YTeSo.Registry.Licensing;

/// <summary>The certificate's QR code: the verification page's address, as SVG (sharp when printed).</summary>
internal static class LicenceQr
{
    public static string Svg(string url)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4);
    }
}
