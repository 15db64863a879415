// Next.js configuration.
/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  serverExternalPackages: ["pg", "@prisma/adapter-pg"],
  devIndicators: false,
};

export default nextConfig;
