// Next.js configuration.
/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Agents send and receive small JSON; compressing it costs more CPU than it saves. Put a reverse proxy in front for pages.
  compress: false,
  serverExternalPackages: ["pg", "@prisma/adapter-pg"],
  devIndicators: false,
};

export default nextConfig;
